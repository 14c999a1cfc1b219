package io.wsc.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.wsc.broker.BrokerType;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Every {@code wsc.*} setting (env {@code WSC_*}). The README's configuration table lists the same items. */
@ConfigMapping(prefix = "wsc")
public interface WscConfig {

    /** Where a publish meets its subscribers: {@code memory} (this node only) or {@code redis} (every node). */
    @WithDefault("memory")
    BrokerType broker();

    /** The Redis broker's own settings; the connection is Quarkus's ({@code quarkus.redis.hosts}, ...). */
    RedisBrokerConfig redis();

    interface RedisBrokerConfig {

        /** Prefix of every Redis key and pub/sub channel wsc uses, so several deployments can share one Redis. */
        @WithDefault("wsc:")
        String prefix();

        /**
         * How often a node tells Redis it is alive and how many subscribers it holds; a node silent for three
         * heartbeats no longer counts.
         */
        @WithDefault("5s")
        Duration heartbeat();

        /** Longest wait for Redis on a publish, stats request or subscribe before answering 503. */
        @WithDefault("2s")
        Duration timeout();
    }

    /** The key publishers send in the {@code access-key} header. Required in prod; compared exactly. */
    Optional<String> accessKey();

    /**
     * The key being rotated out: accepted beside {@link #accessKey()} until every publisher has the new one (each use
     * is counted in the metric {@code wsc_previous_key_uses_total}).
     */
    Optional<String> previousAccessKey();

    /** Largest accepted publish body in bytes; one more byte is refused with 413. */
    @WithDefault("1048576")
    int maxMessageBytes();

    /**
     * Unsent output a subscriber may have queued, in bytes. A subscriber that falls further behind is disconnected so it
     * cannot hold memory or delay anyone else. Must be at least {@link #maxMessageBytes()}.
     */
    @WithDefault("4194304")
    int maxPendingBytes();

    /** How often subscribers are pinged, so dead peers are dropped and proxies keep idle connections open. */
    @WithDefault("30s")
    Duration pingInterval();

    /**
     * On SIGTERM, how long readiness reports DOWN before the server stops, so load balancers stop sending new
     * subscribers here. Subscribers are closed with 1001 at the start of it.
     */
    @WithDefault("1s")
    Duration shutdownDelay();

    /**
     * Origins ({@code https://app.example.com}) whose pages may subscribe. When set, an upgrade with any other
     * {@code Origin} header is refused with 403 (cross-site WebSocket hijacking); clients that send no Origin (not
     * browsers) are let through. Unset: any origin, as in the original.
     */
    Optional<List<String>> allowedOrigins();

    /** Most subscribers this node holds; upgrades past it are refused with 503. Unset: no limit but open files. */
    OptionalInt maxConnections();

    /** Most channels this node tracks; subscribing or publishing to one more is refused with 503. Unset: no limit. */
    OptionalInt maxChannels();

    /**
     * Most channels one connection may subscribe to: its path's plus its {@code ?channel=} parameters
     * ({@code wsc.v1.json} WebSockets and event streams); more are refused with 400.
     */
    @WithDefault("64")
    int maxChannelsPerConnection();

    /**
     * Most channels one publish may go to: its path's plus its {@code ?channel=} parameters; more are refused with 400.
     */
    @WithDefault("64")
    int maxChannelsPerPublish();

    /** How far publishes may run ahead of the fan-out to this node's subscribers. */
    FanOut fanOut();

    interface FanOut {

        /**
         * Messages an event loop may have queued for its subscribers (not yet written to their sockets) while a
         * publish to them is still answered as soon as it is queued; past it, the answer waits until the message is
         * written, so publishers keep pace with the fan-out. Several queued messages go to a subscriber in one write.
         * 0 answers every publish once written.
         */
        @WithDefault("8")
        int queueAhead();

        /**
         * Message bytes an event loop may have queued for its subscribers; a publish to a channel with subscribers
         * there past it is refused with 503 and {@code Retry-After}, and nothing of it is kept or sent.
         */
        @WithDefault("16777216")
        long maxQueuedBytes();
    }

    /** Opt-in message history, so a subscriber that reconnects can ask for what it missed. */
    History history();

    interface History {

        /**
         * Messages kept per channel for subscribers that resume ({@code wsc.v1.json} with {@code ?since=<id>}). 0, the
         * default, keeps none: messages then get no id and publish receipts no {@code message_id}.
         */
        @WithDefault("0")
        int size();

        /** How long a kept message stays available to resuming subscribers. */
        @WithDefault("1h")
        Duration ttl();
    }

    /** Subscribers that take the channel as Server-Sent Events ({@code Accept: text/event-stream}). */
    Sse sse();

    interface Sse {

        /**
         * How often each event stream gets a comment line: keeps proxies from closing a quiet stream, and finds peers
         * that vanished (a write to them fails).
         */
        @WithDefault("15s")
        Duration heartbeat();

        /** How long a browser's {@code EventSource} waits before it reconnects ({@code retry:} at the stream's start). */
        @WithDefault("1s")
        Duration retry();
    }

    /**
     * Who is subscribed: with subscriber tokens on, a token's {@code sub} (and {@code info}) claims identify the
     * client; {@code GET ?presence} lists a channel's clients and {@code ?presence=events} subscribers get joins and
     * leaves.
     */
    Presence presence();

    interface Presence {

        /** Most clients a {@code GET ?presence} answer lists (by {@code sub}); more are left out, {@code truncated}. */
        @WithDefault("1000")
        int max();

        /** Largest {@code info} claim (its JSON, in bytes); a token with a larger one is refused (400). */
        @WithDefault("1024")
        int maxInfoBytes();

        /**
         * Most presence events one channel's watchers get per second; past it, one {@code presence_gap} event stands
         * for the rest of that second's.
         */
        @WithDefault("100")
        int maxEventsPerSecond();
    }

    /** How long a client may take over a request, or keep a connection open between requests (io.wsc.http). */
    Http http();

    /**
     * HTTP/2 without TLS (h2c: by prior knowledge, or {@code Upgrade: h2c}) on the public port, for backends and
     * proxies that speak it. Off by default: no browser does, and an HTTP/2 connection's streams share one
     * connection-level clock (no per-request header or body timeout). HTTP/2 over TLS needs no setting.
     */
    @WithName("http2-cleartext")
    @WithDefault("false")
    boolean http2Cleartext();

    interface Http {

        /**
         * Longest time from a connection's first byte (or its opening) to the end of a request's headers, however
         * slowly they trickle in; past it the request gets 408 and the connection closes.
         */
        @WithDefault("10s")
        Duration headerTimeout();

        /** Longest pause between two reads of a request's body; past it the request gets 408 and the connection closes. */
        @WithDefault("10s")
        Duration bodyTimeout();

        /**
         * How long a connection that never became a subscriber may sit idle after a response before it is closed.
         * Subscribers (WebSockets and event streams) are never closed for being quiet.
         */
        @WithDefault("60s")
        Duration keepAliveTimeout();
    }

    /**
     * Most open connections from one client address on the public port (publishers and subscribers alike; the
     * management port, where probes go, is not counted); past it a new connection is closed as soon as it is
     * accepted. Behind a proxy every connection comes from the proxy's address. Unset: no limit.
     */
    OptionalInt maxConnectionsPerAddress();

    /** Publishers' wrong keys: repeated failures from one address are refused with 429 for a while. */
    KeyFailures keyFailures();

    /** Optional subscriber tokens: when a key is set, every subscriber (WebSocket or event stream) needs one. */
    Subscribe subscribe();

    interface KeyFailures {

        /** Wrong keys from one address, within {@link #window()}, after which that address gets 429. */
        @WithDefault("10")
        int max();

        /** How long failures are remembered, and how long an address that reached the maximum is refused. */
        @WithDefault("1m")
        Duration window();
    }

    interface Subscribe {

        /**
         * HS256 secret (at least 32 bytes) that signs subscriber tokens. The token goes in the upgrade URL
         * ({@code ?token=...}) and lists its channels in the claim {@code channels}.
         */
        Optional<String> jwtSecret();

        /** Location (file or URL) of a public key (PEM, JWK or JWK set) that verifies signed tokens instead. */
        Optional<String> jwtPublicKeyLocation();

        /** The signature algorithm of tokens verified with {@link #jwtPublicKeyLocation()}: RS256, ES256, PS256, ... */
        @WithDefault("RS256")
        SignatureAlgorithm jwtPublicKeyAlgorithm();

        /**
         * The backend's URL that decides each subscription (off when unset): wsc POSTs it the channels, the
         * subscriber's cookies, origin and token and its address before answering an upgrade or an event stream; 2xx
         * admits, 401 or 403 refuses with that status, anything else refuses with 503.
         */
        Optional<URI> authorizeUrl();

        /** How long the backend may take to answer; past it the subscriber is refused with 503. */
        @WithDefault("2s")
        Duration authorizeTimeout();

        /** Questions to the backend in flight at once; subscribers past it are refused with 503 without asking. */
        @WithDefault("256")
        int authorizeMaxConcurrent();

        /** How long an answer (admit, 401, 403) is reused for the same question; 0 asks every time. */
        @WithDefault("0s")
        Duration authorizeCache();

        /** At most this many answers are kept. */
        @WithDefault("10000")
        int authorizeCacheSize();
    }

    /** Webhooks: wsc tells a backend when channels fill and empty, and when presence members come and go. */
    Webhook webhook();

    interface Webhook {

        /** Where wsc POSTs its events (JSON, signed); unset: no webhooks. */
        Optional<URI> url();

        /** The HMAC-SHA256 key of the {@code X-Wsc-Signature} header; required with {@link #url()}. */
        Optional<String> secret();

        /**
         * How long a channel (or a presence member) must stay empty before {@code channel_vacated}
         * ({@code member_removed}) is sent: a reconnect within it sends nothing.
         */
        @WithDefault("3s")
        Duration vacatedDelay();

        /** Events waiting to be sent, at most; past it new events are dropped (counted and logged). */
        @WithDefault("10000")
        int maxQueued();

        /** Events in one POST, at most. */
        @WithDefault("100")
        int maxBatch();

        /** How long one POST may take (connecting, or the receiver staying silent) before it counts as failed. */
        @WithDefault("5s")
        Duration timeout();

        /** Tries of one POST before its events are given up as failed (1: no retry). */
        @WithDefault("6")
        int maxAttempts();

        /** The wait before the first retry; it doubles for each next one, up to 30 s. */
        @WithDefault("500ms")
        Duration retryBackoff();
    }
}
