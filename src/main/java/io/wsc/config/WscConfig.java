package io.wsc.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every {@code wsc.*} setting (env {@code WSC_*}). The README's configuration table lists the same items. */
@ConfigMapping(prefix = "wsc")
public interface WscConfig {

    /** The key publishers send in the {@code access-key} header. Required in prod; compared exactly. */
    Optional<String> accessKey();

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
}
