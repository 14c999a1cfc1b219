package io.wsc.client;

import java.util.Optional;

/**
 * The server's answer to a publish: {@code status} is "Message sent", {@code recipients} the number of subscribers the
 * message was handed to, and {@code messageId} the message's id in its channel when the server keeps history
 * ({@code wsc.history.size}); a subscriber resumes after it with {@code ?since=} or {@code Last-Event-ID}.
 */
public record PublishReceipt(String status, String channelId, int contentLength, int recipients,
        Optional<String> messageId) {

    /** A receipt without a message id (the server keeps no history). */
    public PublishReceipt(String status, String channelId, int contentLength, int recipients) {
        this(status, channelId, contentLength, recipients, Optional.empty());
    }
}
