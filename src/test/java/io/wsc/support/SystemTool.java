package io.wsc.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds a system tool a test needs. Missing on a developer's machine: the test is skipped with a message. Missing
 * where {@code -Drequire-system-tests=true} is set (CI, after installing it): the test fails instead.
 */
public final class SystemTool {

    private SystemTool() {
    }

    /** The first candidate for which {@code candidate probeArgs...} exits 0. */
    public static Optional<String> find(String description, List<String> candidates, String... probeArgs) {
        for (String candidate : candidates) {
            List<String> command = new ArrayList<>(List.of(candidate));
            command.addAll(List.of(probeArgs));
            try {
                Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return Optional.of(candidate);
                }
            } catch (IOException e) {
                // not installed under this name; try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (Boolean.getBoolean("require-system-tests")) {
            throw new AssertionError(description + " is required (require-system-tests=true) but was not found");
        }
        System.err.println("SKIPPED: " + description + " not found");
        return Optional.empty();
    }
}
