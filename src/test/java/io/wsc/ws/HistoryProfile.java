package io.wsc.ws;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** History on: a small ring per channel, so a gap is easy to provoke. */
public class HistoryProfile implements QuarkusTestProfile {

    public static final int SIZE = 100;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("wsc.history.size", String.valueOf(SIZE), "wsc.history.ttl", "1h");
    }
}
