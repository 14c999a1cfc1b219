package io.wsc.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.wsc.support.SystemTool;

/**
 * The README's webhook example (a Python receiver that verifies signatures, and a run against the packaged jar), run
 * as pasted: in a network namespace of its own, so that its fixed ports (8088, 9000, 8091) are free whatever else
 * runs on this machine.
 */
class ReadmeWebhookExampleIT {

    private static final String SECTION = "### Tell your backend when channels fill and empty";

    @Test
    void theReceiverPrintsOccupiedThenVacated() throws Exception {
        Optional<String> python = SystemTool.find("python3", List.of("python3"), "--version");
        Optional<String> namespace = SystemTool.find("unshare and ip (a private network namespace)",
                List.of("unshare"), "-rn", "ip", "link", "set", "lo", "up");
        assumeTrue(python.isPresent() && namespace.isPresent(), "python3, unshare or ip is missing");

        Path dir = Files.createTempDirectory("wsc-readme-webhooks"); // the example writes webhooks.py where it runs
        Path link = Files.createSymbolicLink(dir.resolve("target"), Path.of("target").toAbsolutePath());
        Path script = Files.writeString(dir.resolve("example.sh"), example(Files.readString(Path.of("README.md"))));
        Path log = dir.resolve("output.log");
        ProcessBuilder run = new ProcessBuilder("unshare", "-rn", "bash", "-c", "ip link set lo up && bash " + script)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        run.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        Process process = run.start();
        boolean ended = process.waitFor(2, TimeUnit.MINUTES);
        process.destroyForcibly(); // only if it hung: the example stops the server and receiver it started
        String output = Files.readString(log);
        for (Path file : List.of(link, script, log, dir.resolve("webhooks.py"), dir)) {
            Files.deleteIfExists(file);
        }
        assertTrue(ended, "the example did not end within 2 minutes: " + output);
        List<String> printed = output.lines().filter(line -> line.startsWith("channel_")).map(String::strip)
                .toList();
        assertEquals(List.of("channel_occupied chat/room/1", "channel_vacated chat/room/1"), printed, output);
    }

    /** The section's shell block. */
    private static String example(String readme) {
        int section = readme.indexOf(SECTION);
        assertTrue(section >= 0, "the README has no section " + SECTION);
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        return readme.substring(start, readme.indexOf("\n```\n", start)) + "\n";
    }
}
