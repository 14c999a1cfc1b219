package io.wsc.presence;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Subscriber tokens on, with small presence bounds the tests can reach. */
public class PresenceProfile implements QuarkusTestProfile {

    public static final String SECRET = "a-presence-token-secret-of-32-bytes-or-more";
    static final int MAX = 3;
    static final int MAX_EVENTS_PER_SECOND = 5;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("wsc.subscribe.jwt-secret", SECRET,
                "wsc.presence.max", Integer.toString(MAX),
                "wsc.presence.max-info-bytes", "64",
                "wsc.presence.max-events-per-second", Integer.toString(MAX_EVENTS_PER_SECOND));
    }
}
