package io.wsc.client;

/** A channel's numbers: subscribers now, and messages and bytes sent to it since the server started. */
public record ChannelStats(String channelId, int peers, long sentMessages, long sentBytes) {
}
