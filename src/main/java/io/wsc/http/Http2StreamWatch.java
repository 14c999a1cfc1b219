package io.wsc.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Stream;
import io.wsc.metrics.WscMetrics;

/**
 * Tells {@link HttpDeadlines} how many streams of an HTTP/2 connection are open, each time one opens (its request's
 * headers are complete) or closes. Netty calls it on the connection's event loop.
 */
final class Http2StreamWatch extends Http2ConnectionAdapter {

    private final Http2Connection connection;
    private final HttpDeadlines deadlines;

    private Http2StreamWatch(Http2Connection connection, HttpDeadlines deadlines) {
        this.connection = connection;
        this.deadlines = deadlines;
    }

    static void install(Http2Connection connection, HttpDeadlines deadlines) {
        connection.addListener(new Http2StreamWatch(connection, deadlines));
    }

    /**
     * A connection that Vert.x switched to h2c, which took its {@link HttpDeadlines} out on the way: a new clock
     * first in its pipeline, watching its streams.
     */
    static void resume(Channel channel, HttpTimeouts timeouts, WscMetrics metrics) {
        Http2ConnectionHandler handler = channel.pipeline().get(Http2ConnectionHandler.class);
        if (!channel.isActive() || handler == null || channel.pipeline().get(HttpDeadlines.NAME) != null) {
            return;
        }
        HttpDeadlines deadlines = new HttpDeadlines(timeouts, metrics);
        channel.pipeline().addFirst(HttpDeadlines.NAME, deadlines);
        deadlines.watchHttp2(handler.connection());
    }

    @Override
    public void onStreamActive(Http2Stream stream) {
        deadlines.streamsChanged(connection.numActiveStreams());
    }

    @Override
    public void onStreamClosed(Http2Stream stream) {
        deadlines.streamsChanged(connection.numActiveStreams());
    }
}
