package io.wsc.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a publish body up to the message limit, straight from the request (the resource declares no entity, so
 * nothing reads it before). A declared length over it was refused before ({@link PublishSizeLimit}); a body sent in
 * chunks fails with {@link TooLarge} as soon as it grows past the limit, and its connection is closed once the 413 is
 * out, since the rest of it is still on the wire.
 */
final class PublishBody {

    private static final Logger LOG = Logger.getLogger(PublishBody.class);

    /** The body grew past {@code wsc.max-message-bytes}. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super(null, null, false, false);
        }
    }

    /** The body could not be read (malformed chunks, or the client went away). */
    static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreadable() {
            super(null, null, false, false);
        }
    }

    private final HttpServerRequest request;
    private final int limit;
    private final CompletableFuture<Buffer> read = new CompletableFuture<>();
    /** The body so far: most arrive in one chunk, which is kept as it is (Vert.x hands out its own copy). */
    private Buffer body = Buffer.buffer(0);
    private boolean copied;

    private PublishBody(HttpServerRequest request, int limit) {
        this.request = request;
        this.limit = limit;
    }

    static CompletionStage<Buffer> read(HttpServerRequest request, int limit) {
        PublishBody reader = new PublishBody(request, limit);
        request.handler(reader::append);
        request.endHandler(ended -> reader.read.complete(reader.body));
        request.exceptionHandler(failure -> {
            // Vert.x has closed the connection or is about to.
            LOG.debugf("Request body not read: %s", failure.getMessage());
            reader.read.completeExceptionally(new Unreadable());
        });
        request.resume(); // Quarkus REST pauses a request until something reads it
        return reader.read;
    }

    private void append(Buffer chunk) {
        if (read.isDone()) {
            return;
        }
        if (body.length() + chunk.length() > limit) {
            request.pause();
            request.response().endHandler(sent -> request.connection().close());
            read.completeExceptionally(new TooLarge());
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
}
