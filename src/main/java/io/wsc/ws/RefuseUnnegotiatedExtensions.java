package io.wsc.ws;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * Turns off Vert.x's per-frame WebSocket compression (on by default; Quarkus has no setting for it). wsc negotiates no
 * extension, but while either compression is "supported" Vert.x lets Netty's decoder accept frames with RSV bits set,
 * which RFC 6455 (section 5.2) says must fail the connection: without it they are refused with 1002.
 */
@ApplicationScoped
public class RefuseUnnegotiatedExtensions implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setPerFrameWebSocketCompressionSupported(false);
    }
}
