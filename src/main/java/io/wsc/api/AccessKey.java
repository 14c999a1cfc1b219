package io.wsc.api;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.wsc.config.WscConfig;

/**
 * The publishers' shared secret, and during a rotation the previous one too. Keys are compared exactly (case matters)
 * and in constant time: the comparison walks the whole real key whatever is presented, so neither its content nor its
 * length leaks through timing, and both keys are always compared. (No hashing: it cost more than the rest of a publish.)
 */
@Singleton
public class AccessKey {

    public enum Match {
        CURRENT, PREVIOUS, NONE
    }

    private final byte[] current;
    private final byte[] previous;

    AccessKey(WscConfig config) {
        this.current = bytesOf(config.accessKey());
        this.previous = bytesOf(config.previousAccessKey());
    }

    public Match match(String presented) {
        if (presented == null || current == null) {
            return Match.NONE;
        }
        byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
        boolean isCurrent = sameBytes(current, bytes);
        boolean isPrevious = previous != null && sameBytes(previous, bytes);
        return isCurrent ? Match.CURRENT : isPrevious ? Match.PREVIOUS : Match.NONE;
    }

    /** Time depends on the length of {@code key} only: every byte of it is compared, with no early exit. */
    static boolean sameBytes(byte[] key, byte[] presented) {
        int difference = key.length ^ presented.length;
        for (int i = 0; i < key.length; i++) {
            byte other = presented.length == 0 ? 0 : presented[i % presented.length];
            difference |= key[i] ^ other;
        }
        return difference == 0;
    }

    private static byte[] bytesOf(Optional<String> key) {
        return key.filter(k -> !k.isBlank()).map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }
}
