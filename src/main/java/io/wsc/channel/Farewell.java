package io.wsc.channel;

/** Why the server ends a subscription itself, with the WebSocket close code and reason that tell the client. */
public enum Farewell {

    /** The server is stopping: reconnect, to another node. */
    SHUTDOWN(1001, "server shutting down", null),
    /**
     * Messages of the channel could not be delivered (e.g. the node's Redis link dropped and history did not hold
     * them). Sent to raw subscribers, whose frames cannot carry a gap signal: 1012 (service restart) tells the page to
     * reconnect and reload its state.
     */
    MESSAGES_LOST(1012, "messages lost; reconnect", null),
    /** The backend closed the channel's or the client's connections (DELETE); 4403 mirrors HTTP's 403. */
    DISCONNECTED(4403, "disconnected by the backend", "backend"),
    /** The subscriber token's {@code exp} passed: reconnect with a fresh token; 4401 mirrors the upgrade's 401. */
    TOKEN_EXPIRED(4401, "token expired", "token_expired");

    private final int code;
    private final String reason;
    private final String metricReason;

    Farewell(int code, String reason, String metricReason) {
        this.code = code;
        this.reason = reason;
        this.metricReason = metricReason;
    }

    /**
     * True when an event stream is told why it ends (a last {@code disconnected} event): reconnecting as it is would
     * not help, where after a shutdown an {@code EventSource}'s own reconnect is just right.
     */
    public boolean tellsStreams() {
        return metricReason != null;
    }

    /** The {@code reason} it is counted under in {@code wsc_subscriber_disconnects_total}; null when not counted there. */
    public String metricReason() {
        return metricReason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }
}
