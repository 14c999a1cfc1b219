package io.wsc.channel;

/** A channel name that wsc refuses (too long, control characters, malformed encoding). */
public class InvalidChannelException extends RuntimeException {

    public InvalidChannelException(String message) {
        super(message, null, false, false);
    }
}
