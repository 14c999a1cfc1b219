package io.wsc.client;

import java.io.IOException;

/** The server answered with an error: its HTTP status, and the sentence from its JSON {@code status} field. */
public class WscException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String statusText;

    public WscException(int statusCode, String statusText) {
        super("wsc answered " + statusCode + (statusText.isEmpty() ? "" : ": " + statusText));
        this.statusCode = statusCode;
        this.statusText = statusText;
    }

    /** The HTTP status code, e.g. 401 for a wrong access key or 413 for a message over the server's limit. */
    public int statusCode() {
        return statusCode;
    }

    /** The server's explanation, e.g. "Not authorized"; empty when the answer had none. */
    public String statusText() {
        return statusText;
    }
}
