package io.wsc.channel;

/** What {@code GET /<channel>} reports: open subscribers, messages published, bytes delivered. */
public record ChannelStats(long peers, long sentMessages, long sentBytes) {

    public static final ChannelStats EMPTY = new ChannelStats(0, 0, 0);
}
