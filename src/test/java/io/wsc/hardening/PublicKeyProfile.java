package io.wsc.hardening;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Subscriber tokens signed by an identity provider's RSA key; the server only has the public half, as a PEM file.
 * The key pair is a fixed test file: the profile and the test may live in different class loaders, so a key
 * generated here would not be the one the test signs with.
 */
public class PublicKeyProfile implements QuarkusTestProfile {

    static final Path KEYS = Path.of("src/test/resources/subscriber-token-keys");

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("wsc.subscribe.jwt-public-key-location", KEYS.resolve("public.pem").toAbsolutePath().toString());
    }
}
