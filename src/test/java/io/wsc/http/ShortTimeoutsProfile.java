package io.wsc.http;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Timeouts short enough to wait for: 1 s for headers and body pauses, 2 s between requests. Pings and event-stream
 * heartbeats keep their defaults (30 s, 15 s), so a subscriber stays silent for longer than every timeout here.
 */
public class ShortTimeoutsProfile implements QuarkusTestProfile {

    static final long HEADER_MILLIS = 1000;
    static final long BODY_MILLIS = 1000;
    static final long KEEP_ALIVE_MILLIS = 2000;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("wsc.http.header-timeout", HEADER_MILLIS + "ms",
                "wsc.http.body-timeout", BODY_MILLIS + "ms",
                "wsc.http.keep-alive-timeout", KEEP_ALIVE_MILLIS + "ms");
    }
}
