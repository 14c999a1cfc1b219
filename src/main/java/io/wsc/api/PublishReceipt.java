package io.wsc.api;

/** The 201 answer to a publish, field for field as the original wsc sends it (snake_case on the wire). */
public record PublishReceipt(String status, String channelId, int contentLength, int recipients) {

    static PublishReceipt sent(String channelId, int contentLength, int recipients) {
        return new PublishReceipt("Message sent", channelId, contentLength, recipients);
    }
}
