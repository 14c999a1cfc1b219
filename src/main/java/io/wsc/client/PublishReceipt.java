package io.wsc.client;

/**
 * The server's answer to a publish: {@code status} is "Message sent", {@code recipients} the number of subscribers the
 * message was handed to.
 */
public record PublishReceipt(String status, String channelId, int contentLength, int recipients) {
}
