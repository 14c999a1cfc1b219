package io.wsc.http;

import io.wsc.config.WscConfig;

/** {@code wsc.http.*} in nanoseconds, as the connection clocks ({@link HttpDeadlines}) compare them. */
record HttpTimeouts(long headerNanos, long bodyNanos, long keepAliveNanos) {

    static HttpTimeouts of(WscConfig.Http config) {
        return new HttpTimeouts(config.headerTimeout().toNanos(), config.bodyTimeout().toNanos(),
                config.keepAliveTimeout().toNanos());
    }
}
