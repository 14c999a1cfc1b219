package io.wsc.hardening;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Subscriber tokens signed by an identity provider's RSA key; the server only has the public half, as a PEM file. */
public class PublicKeyProfile implements QuarkusTestProfile {

    static final KeyPair KEYS = rsaKeyPair();

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(KEYS.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            Path file = Files.writeString(Files.createTempFile("wsc-subscriber-key", ".pem"), pem);
            file.toFile().deleteOnExit();
            return Map.of("wsc.subscribe.jwt-public-key-location", file.toUri().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Another key pair, as an attacker would have. */
    static KeyPair rsaKeyPairForTests() {
        return rsaKeyPair();
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
