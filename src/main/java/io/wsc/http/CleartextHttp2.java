package io.wsc.http;

import jakarta.inject.Singleton;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.wsc.config.WscConfig;

/**
 * HTTP/2 cleartext (h2c) on the public port only with {@code wsc.http2-cleartext=true}. Off by default: no browser
 * speaks it (browsers get HTTP/2 over TLS, by ALPN), and with it on Vert.x builds a connection's codec only once its
 * first bytes say which protocol it speaks, and ends an {@code Upgrade: h2c} by taking every other handler out of the
 * pipeline, so {@link HttpDeadlines} has to find the codec late ({@link CodecProbe}) and put itself back after an
 * upgrade, and an HTTP/2 connection has only a connection-level clock ({@link Http2StreamWatch}). HTTP/2 over TLS is
 * untouched: it is on unless {@code quarkus.http.http2=false}.
 */
@Singleton
public class CleartextHttp2 implements HttpServerOptionsCustomizer {

    private final boolean enabled;

    CleartextHttp2(WscConfig config) {
        this.enabled = config.http2Cleartext();
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        if (!enabled) {
            options.setHttp2ClearTextEnabled(false);
        }
    }
}
