package io.wsc.sse;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.wsc.channel.SseEvents;
import io.wsc.channel.Subscriber;
import io.wsc.config.WscConfig;

/**
 * Sends every open event stream a comment line once per {@code wsc.sse.heartbeat}: proxies then keep quiet streams
 * open, and a write to a peer that vanished fails, which closes its connection (HTTP has no ping to answer). One timer
 * for all streams, and one task per event loop for the streams on it, not one per stream.
 */
@ApplicationScoped
public class EventStreamHeartbeat {

    /**
     * Shared by every write: each takes a duplicate, and nothing may release it. In direct memory, which the epoll
     * transport writes as it is (a heap buffer would be copied for each stream).
     */
    private static final ByteBuf HEARTBEAT = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(SseEvents.HEARTBEAT.length).writeBytes(SseEvents.HEARTBEAT));

    private final Map<EventLoop, Set<Subscriber>> streams = new ConcurrentHashMap<>();

    void start(@Observes StartupEvent event, Vertx vertx, WscConfig config) {
        long interval = config.sse().heartbeat().toMillis();
        vertx.setPeriodic(interval, interval, id -> beat());
    }

    /** An open stream (its head written); it is forgotten when its connection closes. */
    void add(Subscriber subscriber) {
        EventLoop loop = subscriber.socket().eventLoop();
        streams.computeIfAbsent(loop, key -> ConcurrentHashMap.newKeySet()).add(subscriber);
        subscriber.connection().whenClosed(() -> streams.get(loop).remove(subscriber));
    }

    private void beat() {
        streams.forEach((loop, onLoop) -> {
            if (!onLoop.isEmpty()) {
                loop.execute(() -> onLoop.forEach(subscriber -> subscriber.connection().sendExtra(HEARTBEAT)));
            }
        });
    }
}
