package io.wsc.channel;

/** One published message: the body goes to every subscriber of the channel, unchanged. */
public record Message(String channelId, byte[] body, boolean binary) {
}
