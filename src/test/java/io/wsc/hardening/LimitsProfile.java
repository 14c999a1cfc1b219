package io.wsc.hardening;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A small node: few connections and channels, and a quick wrong-key limit. */
public class LimitsProfile implements QuarkusTestProfile {

    static final int MAX_CONNECTIONS = 5;
    static final int MAX_CHANNELS = 20;
    static final int MAX_KEY_FAILURES = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("wsc.max-connections", String.valueOf(MAX_CONNECTIONS),
                "wsc.max-channels", String.valueOf(MAX_CHANNELS),
                "wsc.key-failures.max", String.valueOf(MAX_KEY_FAILURES),
                "wsc.key-failures.window", "2s");
    }
}
