package io.wsc.channel;

/** What became of a publish: how many subscribers it was written to, and its id in the channel (0: no history). */
public record Published(int recipients, long messageId) {
}
