package io.wsc.http;

import jakarta.inject.Singleton;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * No HTTP/2 cleartext (h2c) on the public port. No browser speaks it, WebSockets and event streams here are HTTP/1.1,
 * and with it on Vert.x builds a connection's HTTP pipeline only once bytes arrive, so {@link HttpDeadlines} could not
 * watch it from the start. HTTP/2 over TLS (ALPN) is untouched.
 */
@Singleton
public class Http1Only implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
