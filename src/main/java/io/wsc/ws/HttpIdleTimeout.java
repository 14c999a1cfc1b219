package io.wsc.ws;

import io.netty.channel.Channel;
import io.wsc.http.HttpDeadlines;

/**
 * Vert.x gives every connection an idle-timeout handler while it speaks HTTP ({@code quarkus.http.idle-timeout}) and
 * keeps it for as long as the connection lives: about 300 bytes per subscriber (handler, its context, a scheduled
 * task), and a quiet subscriber would be cut when it runs out. A subscriber is idle by design: WebSocket pings and
 * event-stream heartbeats keep proxies awake and find dead peers instead.
 */
public final class HttpIdleTimeout {

    /** The name Vert.x's {@code HttpServerWorker} gives its {@code IdleStateHandler}. */
    private static final String VERTX_IDLE_HANDLER = "idle";

    private HttpIdleTimeout() {
    }

    /**
     * Removes the handler from a subscriber's connection, and wsc's own request deadlines with it (a subscriber's
     * connection never carries another request); call on its event loop.
     */
    public static void drop(Channel socket) {
        HttpDeadlines.removeFrom(socket.pipeline());
        if (socket.pipeline().get(VERTX_IDLE_HANDLER) != null) {
            socket.pipeline().remove(VERTX_IDLE_HANDLER);
        }
    }
}
