package io.wsc.api;

import io.wsc.channel.ChannelStats;

/** The 200 answer to a stats GET: {@code {"channel_id": ..., "stat": {"peers", "sent_messages", "sent_bytes"}}}. */
public record StatsReport(String channelId, ChannelStats stat) {
}
