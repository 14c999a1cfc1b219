package io.wsc.hardening;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A server with subscriber tokens, an origin allow-list and a key rotation in progress. */
public class SecuredProfile implements QuarkusTestProfile {

    public static final String SECRET = "a-subscriber-token-secret-of-32-bytes-or-more";
    public static final String ORIGIN = "https://app.example.com";
    static final String PREVIOUS_KEY = "old-key-being-rotated-out";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("wsc.subscribe.jwt-secret", SECRET,
                "wsc.allowed-origins", ORIGIN + ",https://other.example.com",
                "wsc.previous-access-key", PREVIOUS_KEY);
    }
}
