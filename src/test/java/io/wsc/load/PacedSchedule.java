package io.wsc.load;

import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

import io.vertx.core.Vertx;

/**
 * The shared load generator's publishing schedule ({@code pump()} in {@code loadgen.js}), run on one event loop as
 * loadgen runs on Node's: message {@code j} is due {@code j * interval} after the start (interval 0: at once) and
 * leaves when it is due and fewer than {@code inFlight} are unanswered; an answer or a timer sends the next. Nothing
 * hands work between threads per message, which would cost the generator CPU that the server needs.
 */
final class PacedSchedule {

    private final Vertx vertx;
    private final int messages;
    private final long interval;
    private final int inFlight;
    private final IntFunction<CompletableFuture<Void>> send;
    private final CompletableFuture<Double> done = new CompletableFuture<>();
    private long start;
    private int sent;
    private int answered;
    private int unanswered;
    private long maxLag;
    private boolean timerSet;

    PacedSchedule(Vertx vertx, int messages, double perSecond, int inFlight, IntFunction<CompletableFuture<Void>> send) {
        this.vertx = vertx;
        this.messages = messages;
        this.interval = perSecond > 0 ? (long) (1_000_000_000L / perSecond) : 0;
        this.inFlight = inFlight;
        this.send = send;
    }

    /** Starts sending (on the event loop, as everything here); completes with the largest lag behind schedule, in ms. */
    CompletableFuture<Double> start() {
        start = System.nanoTime();
        if (messages == 0) {
            done.complete(0.0);
        }
        pump();
        return done;
    }

    long startNanos() {
        return start;
    }

    private void pump() {
        long now = System.nanoTime();
        while (sent < messages && unanswered < inFlight) {
            long due = start + sent * interval;
            if (due > now) {
                break;
            }
            maxLag = Math.max(maxLag, now - due);
            unanswered++;
            send.apply(sent++).whenComplete((ignored, error) -> answered());
        }
        if (sent < messages && unanswered < inFlight && !timerSet) {
            timerSet = true;
            long wait = (start + sent * interval - System.nanoTime()) / 1_000_000;
            vertx.setTimer(Math.max(1, wait), id -> {
                timerSet = false;
                pump();
            });
        }
    }

    private void answered() {
        unanswered--;
        if (++answered == messages) {
            done.complete(interval > 0 ? maxLag / 1e6 : 0);
        } else {
            pump();
        }
    }
}
