package io.wsc.ws;

import static io.wsc.http.BackendClient.isSuccess;
import static io.wsc.http.BackendClient.statusClass;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.wsc.config.WscConfig;
import io.wsc.http.BackendClient;
import io.wsc.metrics.WscMetrics;
import io.wsc.ws.SubscriberAdmission.Refusal;

/**
 * The backend decides each subscription ({@code wsc.subscribe.authorize-url}): before a WebSocket upgrade or an event
 * stream is answered, wsc POSTs it a JSON question (the channels, the headers that identify a browser's user, the token
 * and the address) and admits on 2xx, refuses with 401 or 403 as the backend does, and with 503 on anything else, on
 * a timeout, or when too many questions are already waiting. Answers may be reused for a short while
 * ({@code wsc.subscribe.authorize-cache}); failures never are.
 */
@ApplicationScoped
public class SubscribeHook {

    /** The request headers passed on: what identifies a browser's user or a proxied client. */
    static final List<String> PASSED_HEADERS = List.of("cookie", "origin", "authorization", "user-agent",
            "x-forwarded-for", "forwarded");

    static final Refusal UNAUTHORIZED = new Refusal(401, "authorize_refused",
            "The backend did not authorize this subscription");
    static final Refusal FORBIDDEN = new Refusal(403, "authorize_refused",
            "The backend refused this subscription");
    static final Refusal UNAVAILABLE = new Refusal(503, "authorize_unavailable",
            "The backend that authorizes subscriptions did not answer in time; try again");
    static final Refusal BUSY = new Refusal(503, "authorize_busy",
            "Too many subscriptions are waiting for the backend's answer; try again");

    private static final Logger LOG = Logger.getLogger(SubscribeHook.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<URI> url;
    private final Duration timeout;
    private final int maxConcurrent;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Question -> the backend's status (2xx, 401, 403); null when answers are not reused. */
    private final Cache<String, Integer> answers;
    private final BackendClient client;
    private final WscMetrics metrics;

    SubscribeHook(WscConfig config, Vertx vertx, WscMetrics metrics) {
        WscConfig.Subscribe subscribe = config.subscribe();
        this.url = subscribe.authorizeUrl();
        this.timeout = subscribe.authorizeTimeout();
        this.maxConcurrent = subscribe.authorizeMaxConcurrent();
        this.metrics = metrics;
        this.answers = subscribe.authorizeCache().isZero() ? null : Caffeine.newBuilder()
                .expireAfterWrite(subscribe.authorizeCache()).maximumSize(subscribe.authorizeCacheSize()).build();
        this.client = url.isEmpty() ? null : new BackendClient(vertx, url.get(), maxConcurrent, timeout);
    }

    /** True when subscriptions wait for the backend. */
    boolean enabled() {
        return url.isPresent();
    }

    /**
     * The backend's verdict on this request subscribing to {@code channels} over {@code transport}
     * ({@code websocket} or {@code event-stream}): null to admit, or the refusal (not yet counted).
     */
    Uni<Refusal> verdict(HttpServerRequest request, RequestedChannels channels, String transport) {
        String question = question(request, channels, transport);
        Integer known = answers == null ? null : answers.getIfPresent(question);
        if (known != null) {
            metrics.subscribeHook("cached");
            return Uni.createFrom().item(refusalFor(known));
        }
        if (inFlight.incrementAndGet() > maxConcurrent) {
            inFlight.decrementAndGet();
            metrics.subscribeHook("busy");
            return Uni.createFrom().item(BUSY);
        }
        long started = System.nanoTime();
        return Uni.createFrom().completionStage(() -> ask(question).toCompletionStage())
                .ifNoItem().after(timeout).fail()
                .map(status -> {
                    if (answers != null && (isSuccess(status) || status == 401 || status == 403)) {
                        answers.put(question, status);
                    }
                    metrics.subscribeHook(isSuccess(status) ? "admitted" : "status_" + statusClass(status));
                    return refusalFor(status);
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("The subscribe hook failed: %s", failure.toString());
                    metrics.subscribeHook(failure instanceof TimeoutException ? "timed_out" : "failed");
                    return UNAVAILABLE;
                })
                .onTermination().invoke(() -> {
                    inFlight.decrementAndGet();
                    metrics.subscribeHookTime(System.nanoTime() - started);
                });
    }

    private Future<Integer> ask(String question) {
        // twice the deadline, so that the deadline (above, counted as timed_out) is what refuses the subscriber
        return client.post(question, Map.of(), timeout.multipliedBy(2));
    }

    /** The question's JSON: also the key its answer is kept under, so equal questions share an answer. */
    static String question(HttpServerRequest request, RequestedChannels channels, String transport) {
        Map<String, String> headers = new TreeMap<>();
        for (String name : PASSED_HEADERS) {
            String value = request.getHeader(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        Map<String, Object> question = new LinkedHashMap<>();
        question.put("channels", channels.ids());
        question.put("transport", transport);
        question.put("address", request.remoteAddress() == null ? null : request.remoteAddress().hostAddress());
        question.put("token", request.getParam("token"));
        question.put("headers", headers);
        try {
            return JSON.writeValueAsString(question);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Refusal refusalFor(int status) {
        if (isSuccess(status)) {
            return null;
        }
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            default -> UNAVAILABLE;
        };
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
