package io.wsc;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import io.quarkus.runtime.PreventFurtherStepsException;
import io.vertx.ext.web.Router;
import io.wsc.config.WscConfig;

/** The settings wsc cannot run with, each explained in one line. */
@Singleton
final class ConfigCheck {

    /**
     * Runs before the other route observers, which create the beans behind them (the broker connects), and well before
     * Quarkus opens its ports (after the start-up event): a pod that answers probes for a second, then stops, misleads
     * Kubernetes. A failed start whose root cause is a {@link PreventFurtherStepsException} makes Quarkus print its
     * message alone and exit with its code; thrown bare, the start would stop quietly and carry on into the main method.
     */
    static void refuseUnusable(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) Router routesBeingRegistered,
            WscConfig config) {
        String problem = problem(config);
        if (problem != null) {
            throw new IllegalStateException(problem,
                    new PreventFurtherStepsException("wsc: " + problem, WscMain.CONFIG_ERROR));
        }
    }

    /** A one-line description of what is wrong, or null when the configuration is usable. */
    static String problem(WscConfig config) {
        if (!hasAccessKey(config)) {
            return "No access key: give it as the first argument, with --access-key-file, or in the environment variable "
                    + "WSC_ACCESS_KEY (or the property wsc.access-key)";
        }
        if (config.maxMessageBytes() < 0) {
            return "wsc.max-message-bytes must not be negative";
        }
        if (config.maxPendingBytes() < config.maxMessageBytes()) {
            return "wsc.max-pending-bytes (" + config.maxPendingBytes() + ") must be at least wsc.max-message-bytes ("
                    + config.maxMessageBytes() + ")";
        }
        if (config.subscribe().jwtSecret().isPresent() && config.subscribe().jwtPublicKeyLocation().isPresent()) {
            return "Set wsc.subscribe.jwt-secret or wsc.subscribe.jwt-public-key-location, not both";
        }
        if (config.subscribe().jwtSecret().filter(secret -> secret.getBytes(StandardCharsets.UTF_8).length < 32)
                .isPresent()) {
            return "wsc.subscribe.jwt-secret must be at least 32 bytes (HS256 needs a 256-bit key)";
        }
        String hook = subscribeHookProblem(config.subscribe());
        if (hook != null) {
            return hook;
        }
        String webhook = webhookProblem(config.webhook());
        if (webhook != null) {
            return webhook;
        }
        if (config.keyFailures().max() < 1) {
            return "wsc.key-failures.max must be at least 1";
        }
        if (config.maxConnections().orElse(1) < 1 || config.maxChannels().orElse(1) < 1) {
            return "wsc.max-connections and wsc.max-channels must be at least 1 when set";
        }
        if (config.maxChannelsPerConnection() < 1 || config.maxChannelsPerPublish() < 1) {
            return "wsc.max-channels-per-connection and wsc.max-channels-per-publish must be at least 1";
        }
        if (config.sse().heartbeat().toMillis() < 1 || config.sse().retry().isNegative()) {
            return "wsc.sse.heartbeat must be at least 1ms and wsc.sse.retry must not be negative";
        }
        if (!positive(config.http().headerTimeout()) || !positive(config.http().bodyTimeout())
                || !positive(config.http().keepAliveTimeout())) {
            return "wsc.http.header-timeout, wsc.http.body-timeout and wsc.http.keep-alive-timeout must be at least 1ms";
        }
        if (config.maxConnectionsPerAddress().orElse(1) < 1) {
            return "wsc.max-connections-per-address must be at least 1 when set";
        }
        if (config.fanOut().queueAhead() < 0 || config.fanOut().maxQueuedBytes() < 1) {
            return "wsc.fan-out.queue-ahead must not be negative and wsc.fan-out.max-queued-bytes must be at least 1";
        }
        if (config.history().size() < 0) {
            return "wsc.history.size must not be negative (0 turns history off)";
        }
        if (config.history().size() > 0 && config.history().ttl().isNegative()) {
            return "wsc.history.ttl must not be negative";
        }
        if (config.presence().max() < 1 || config.presence().maxInfoBytes() < 2
                || config.presence().maxEventsPerSecond() < 1) {
            return "wsc.presence.max and wsc.presence.max-events-per-second must be at least 1, and "
                    + "wsc.presence.max-info-bytes at least 2 (an empty object)";
        }
        return null;
    }

    private static String subscribeHookProblem(WscConfig.Subscribe subscribe) {
        if (subscribe.authorizeUrl().filter(url -> !isHttpUrl(url)).isPresent()) {
            return "wsc.subscribe.authorize-url must be an absolute http:// or https:// URL";
        }
        if (!positive(subscribe.authorizeTimeout()) || subscribe.authorizeMaxConcurrent() < 1
                || subscribe.authorizeCache().isNegative() || subscribe.authorizeCacheSize() < 1) {
            return "wsc.subscribe.authorize-timeout must be at least 1ms, wsc.subscribe.authorize-max-concurrent and "
                    + "-cache-size at least 1, and wsc.subscribe.authorize-cache not negative";
        }
        return null;
    }

    private static String webhookProblem(WscConfig.Webhook webhook) {
        if (webhook.url().isEmpty()) {
            return null;
        }
        if (!isHttpUrl(webhook.url().get())) {
            return "wsc.webhook.url must be an absolute http:// or https:// URL";
        }
        if (webhook.secret().filter(secret -> !secret.isBlank()).isEmpty()) {
            return "wsc.webhook.url is set but wsc.webhook.secret is not: the receiver could not tell wsc's requests "
                    + "from forged ones";
        }
        if (webhook.vacatedDelay().isNegative() || !positive(webhook.timeout()) || !positive(webhook.retryBackoff())) {
            return "wsc.webhook.vacated-delay must not be negative, wsc.webhook.timeout and -retry-backoff at least 1ms";
        }
        if (webhook.maxQueued() < 1 || webhook.maxBatch() < 1 || webhook.maxAttempts() < 1) {
            return "wsc.webhook.max-queued, wsc.webhook.max-batch and wsc.webhook.max-attempts must be at least 1";
        }
        return null;
    }

    private static boolean isHttpUrl(URI url) {
        return url.isAbsolute() && url.getHost() != null
                && List.of("http", "https").contains(url.getScheme().toLowerCase(Locale.ROOT));
    }

    private static boolean positive(Duration timeout) {
        return timeout.toMillis() >= 1;
    }

    private static boolean hasAccessKey(WscConfig config) {
        return config.accessKey().filter(key -> !key.isBlank()).isPresent();
    }
}
