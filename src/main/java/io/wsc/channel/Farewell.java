package io.wsc.channel;

/** Why the server ends a subscription itself, with the WebSocket close code and reason that tell the client. */
public enum Farewell {

    /** The server is stopping: reconnect, to another node. */
    SHUTDOWN(1001, "server shutting down"),
    /**
     * Messages of the channel could not be delivered (e.g. the node's Redis link dropped and history did not hold
     * them). Sent to raw subscribers, whose frames cannot carry a gap signal: 1012 (service restart) tells the page to
     * reconnect and reload its state.
     */
    MESSAGES_LOST(1012, "messages lost; reconnect");

    private final int code;
    private final String reason;

    Farewell(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }
}
