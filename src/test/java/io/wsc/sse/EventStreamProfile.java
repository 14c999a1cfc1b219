package io.wsc.sse;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * History on (a small ring, so a gap is easy to provoke), a heartbeat short enough to wait for, pings so frequent that
 * a stream the silent-subscriber sweep wrongly took for a dead WebSocket would be dropped within the test, and a
 * reconnection delay long enough that a browser test publishes for sure while its EventSource is away.
 */
public class EventStreamProfile implements QuarkusTestProfile {

    static final int HISTORY_SIZE = 100;
    static final int RETRY_MILLIS = 2000;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("wsc.history.size", String.valueOf(HISTORY_SIZE), "wsc.history.ttl", "1h",
                "wsc.sse.heartbeat", "500ms", "wsc.ping-interval", "500ms", "wsc.sse.retry", RETRY_MILLIS + "ms");
    }
}
