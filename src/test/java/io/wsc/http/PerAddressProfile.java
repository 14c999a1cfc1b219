package io.wsc.http;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A few connections per client address; the tests connect from 127.0.0.2, so other tests' traffic does not count. */
public class PerAddressProfile implements QuarkusTestProfile {

    static final int MAX_PER_ADDRESS = 4;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("wsc.max-connections-per-address", String.valueOf(MAX_PER_ADDRESS));
    }
}
