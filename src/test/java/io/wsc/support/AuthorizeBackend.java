package io.wsc.support;

import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * A backend that answers wsc's subscribe hook, on a free port of 127.0.0.1, by the {@code user} cookie of the
 * subscriber it is asked about: {@code admit} 204, {@code anon} 401, {@code deny} 403, {@code broken} 500, {@code slow}
 * answers after 3 s, {@code hold} waits until {@link #releaseHeld}. It keeps every question it was asked.
 */
public final class AuthorizeBackend implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    public final BlockingQueue<JsonObject> questions = new LinkedBlockingQueue<>();
    private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();

    public AuthorizeBackend() {
        try {
            this.server = vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the authorize backend did not start", e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.actualPort() + "/authorize");
    }

    private void answer(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            JsonObject question = body.toJsonObject();
            questions.add(question);
            String cookie = question.getJsonObject("headers").getString("cookie", "");
            String user = cookie.startsWith("user=") ? cookie.substring(5) : "";
            switch (user) {
                case "admit" -> request.response().setStatusCode(204).end();
                case "anon" -> request.response().setStatusCode(401).end();
                case "deny" -> request.response().setStatusCode(403).end("{\"why\":\"not a member\"}");
                case "slow" -> vertx.setTimer(3_000, id -> request.response().setStatusCode(204).end());
                case "hold" -> held.add(request);
                default -> request.response().setStatusCode(500).end();
            }
        });
    }

    /** Questions waiting for {@link #releaseHeld}. */
    public int heldCount() {
        return held.size();
    }

    /** Admits every held question. */
    public void releaseHeld() {
        held.forEach(request -> request.response().setStatusCode(200).end());
        held.clear();
    }

    @Override
    public void close() {
        vertx.close();
    }
}
