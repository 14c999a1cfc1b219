package io.wsc.broker;

/** The broker could not take a publish (e.g. Redis unreachable): answered with 503, never with a false 201. */
public class BrokerUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
