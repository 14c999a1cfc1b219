package io.wsc.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import jakarta.enterprise.context.ApplicationScoped;

import io.wsc.config.WscConfig;

/**
 * The publishers' shared secret. Keys are compared exactly (case matters) and in constant time: both sides are hashed
 * first, so neither the content nor the length of the real key leaks through timing.
 */
@ApplicationScoped
public class AccessKey {

    private final byte[] expectedDigest;

    AccessKey(WscConfig config) {
        this.expectedDigest = config.accessKey().filter(key -> !key.isBlank()).map(AccessKey::digest).orElse(null);
    }

    public boolean matches(String presented) {
        return presented != null && expectedDigest != null && MessageDigest.isEqual(expectedDigest, digest(presented));
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
