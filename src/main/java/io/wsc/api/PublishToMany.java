package io.wsc.api;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.wsc.broker.Broker;
import io.wsc.broker.BrokerUnavailableException;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.Message;
import io.wsc.channel.Published;

/**
 * One body to several channels ({@code ?channel=}): the same checks as a single publish, made for every channel before
 * any of them is published to, then one publish per channel through the broker, each with its own id in its channel's
 * history. What the broker fails for some channels is answered, not hidden ({@link ManyReceipt}).
 */
final class PublishToMany {

    private static final Logger LOG = Logger.getLogger(PublishToMany.class);

    static final String FAN_OUT_FULL = "The server is still sending earlier messages to the subscribers of one of"
            + " these channels (wsc.fan-out.max-queued-bytes); nothing was sent: retry after Retry-After seconds";

    private final Broker broker;
    private final ChannelHub hub;
    private final OptionalInt maxChannels;

    PublishToMany(Broker broker, ChannelHub hub, OptionalInt maxChannels) {
        this.broker = broker;
        this.hub = hub;
        this.maxChannels = maxChannels;
    }

    /** Publishes {@code body} to each of {@code channelIds} (distinct, in the request's order). */
    CompletionStage<Response> publish(HttpServerRequest request, List<String> channelIds, Buffer body) {
        String contentType = request.getHeader(HttpHeaderNames.CONTENT_TYPE);
        String mediaType = ChannelResource.mediaType(contentType);
        byte[] bytes = body.getBytes();
        boolean binary = ChannelResource.isBinary(mediaType);
        String refusal = ChannelResource.contentRefusal(contentType, mediaType, binary, bytes);
        if (refusal != null) {
            return ChannelResource.answer(JsonAnswer.error(400, refusal));
        }
        if (!hub.admits(channelIds, maxChannels)) {
            return ChannelResource.answer(JsonAnswer.error(503, ChannelResource.TOO_MANY_CHANNELS));
        }
        for (String channelId : channelIds) {
            if (!hub.fanOutHasRoom(channelId, bytes.length)) {
                return ChannelResource.answer(JsonAnswer.retryLater(503, FAN_OUT_FULL, 1));
            }
        }
        List<CompletableFuture<ManyReceipt.Outcome>> outcomes = new ArrayList<>(channelIds.size());
        for (String channelId : channelIds) {
            outcomes.add(publish(new Message(channelId, bytes, binary)));
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .thenApply(allDone -> ManyReceipt.answer(bytes.length, outcomes.stream().map(CompletableFuture::join)
                        .toList()));
    }

    /** The channel's outcome; a failed publish is one too, never a failed stage. */
    private CompletableFuture<ManyReceipt.Outcome> publish(Message message) {
        CompletionStage<Published> published;
        try {
            published = broker.publish(message);
        } catch (RuntimeException e) {
            published = CompletableFuture.failedStage(e);
        }
        return published.handle((done, failure) -> done != null ? ManyReceipt.Outcome.published(message.channelId(),
                done) : ManyReceipt.Outcome.failed(message.channelId(), sentence(failure))).toCompletableFuture();
    }

    private static String sentence(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (cause instanceof BrokerUnavailableException) {
            return cause.getMessage();
        }
        LOG.error("Unexpected failure while publishing to one of several channels", cause);
        return "Internal error";
    }
}
