package io.wsc.api;

import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a publish body up to the message limit. A declared length over it was refused before ({@link PublishSizeLimit});
 * a body sent in chunks is cut off with the JSON 413 as soon as it grows past the limit, and its connection closed,
 * since the rest of it is still on the wire.
 */
final class PublishBody {

    private static final Logger LOG = Logger.getLogger(PublishBody.class);

    private final HttpServerRequest request;
    private final int limit;
    /** The body so far: most arrive in one chunk, which is kept as it is (Vert.x hands out its own copy). */
    private Buffer body = Buffer.buffer(0);
    private boolean copied;

    private PublishBody(HttpServerRequest request, int limit) {
        this.request = request;
        this.limit = limit;
    }

    static void read(HttpServerRequest request, int limit, Consumer<Buffer> whenRead) {
        PublishBody reader = new PublishBody(request, limit);
        request.handler(reader::append);
        request.endHandler(ended -> {
            if (!request.response().ended()) {
                whenRead.accept(reader.body);
            }
        });
        request.exceptionHandler(failure -> {
            // Malformed chunks or a client that went away: Vert.x has closed the connection or is about to.
            LOG.debugf("Request body not read: %s", failure.getMessage());
            JsonAnswer.error(request.response(), 400, "The request body could not be read");
        });
    }

    private void append(Buffer chunk) {
        if (body.length() + chunk.length() > limit) {
            tooLarge();
        } else if (body.length() == 0) {
            body = chunk;
        } else {
            if (!copied) {
                body = Buffer.buffer(body.length() + chunk.length()).appendBuffer(body);
                copied = true;
            }
            body.appendBuffer(chunk);
        }
    }

    private void tooLarge() {
        if (request.response().ended()) {
            return;
        }
        request.pause();
        request.response().putHeader(HttpHeaderNames.CONNECTION, "close");
        JsonAnswer.error(request.response(), 413, ChannelRoute.tooLargeSentence(limit));
        request.connection().close();
    }
}
