package io.wsc.channel;

/** A message from a channel's history, with its id in the channel. */
public record KeptMessage(long id, byte[] body, boolean binary) {
}
