package io.wsc.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.wsc.config.WscConfig;

/**
 * The publishers' shared secret, and during a rotation the previous one too. Keys are compared exactly (case matters)
 * and in constant time: both sides are hashed first, so neither the content nor the length of a real key leaks through
 * timing, and both keys are always compared.
 */
@ApplicationScoped
public class AccessKey {

    public enum Match {
        CURRENT, PREVIOUS, NONE
    }

    private final byte[] currentDigest;
    private final byte[] previousDigest;

    AccessKey(WscConfig config) {
        this.currentDigest = digestOf(config.accessKey());
        this.previousDigest = digestOf(config.previousAccessKey());
    }

    public Match match(String presented) {
        if (presented == null || currentDigest == null) {
            return Match.NONE;
        }
        byte[] digest = digest(presented);
        boolean current = MessageDigest.isEqual(currentDigest, digest);
        boolean previous = previousDigest != null && MessageDigest.isEqual(previousDigest, digest);
        return current ? Match.CURRENT : previous ? Match.PREVIOUS : Match.NONE;
    }

    private static byte[] digestOf(Optional<String> key) {
        return key.filter(k -> !k.isBlank()).map(AccessKey::digest).orElse(null);
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
