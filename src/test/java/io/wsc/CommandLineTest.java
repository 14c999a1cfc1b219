package io.wsc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The original's command line, {@code wsc ACCESS_KEY [--host HOST] [--port PORT]}, mapped onto configuration. */
class CommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void noArgumentsLeaveConfigurationToTheEnvironment() {
        assertEquals(Map.of(), start());
    }

    @Test
    void keyHostAndPortAsTheOriginalTakesThem() {
        assertEquals(Map.of("wsc.access-key", "A0B1C2D3", "quarkus.http.host", "127.0.0.1", "quarkus.http.port", "8080"),
                start("A0B1C2D3", "--host", "127.0.0.1", "--port", "8080"));
        assertEquals(Map.of("wsc.access-key", "k", "quarkus.http.port", "0"), start("--port=0", "k"));
    }

    @Test
    void keyFromAFileWithoutItsNewline(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("key"), "  s3cret\n");
        assertEquals(Map.of("wsc.access-key", "s3cret"), start("--access-key-file", file.toString()));
    }

    @Test
    void helpGoesToStandardOutputAndSucceeds() {
        WscMain.Launch launch = parse("--help");
        assertNull(launch.properties());
        assertEquals(0, launch.exitStatus());
        assertTrue(out.toString().startsWith("Usage: wsc [-hV] [--access-key-file=PATH]"), out.toString());
        assertTrue(out.toString().contains("--port=PORT"), out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void versionIsTheProjectVersion() {
        assertEquals(0, parse("--version").exitStatus());
        assertTrue(out.toString().matches("wsc \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), out.toString());
    }

    @Test
    void usageErrorsSayWhatIsWrongInOneLineThenShowUsage(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertUsageError("wsc: Unknown option: '--bogus'", "k", "--bogus");
        assertUsageError("wsc: Invalid value for option '--port': 'http' is not an int", "k", "--port", "http");
        assertUsageError("wsc: --port must be between 0 and 65535, not 65536", "k", "--port", "65536");
        assertUsageError("wsc: --port must be between 0 and 65535, not -1", "k", "--port=-1");
        assertUsageError("wsc: Missing required parameter for option '--port' (PORT)", "k", "--port");
        assertUsageError("wsc: --host must not be empty", "k", "--host", "");
        assertUsageError("wsc: Unmatched argument at index 1: 'extra'", "k", "extra");
        assertUsageError("wsc: Give ACCESS_KEY or --access-key-file, not both", "k", "--access-key-file", empty.toString());
        assertUsageError("wsc: The access key file " + empty + " is empty", "--access-key-file", empty.toString());
        assertUsageError("wsc: Cannot read the access key file " + dir.resolve("missing") + " (NoSuchFileException)",
                "--access-key-file", dir.resolve("missing").toString());
        assertUsageError("wsc: ACCESS_KEY must not be empty", " ");
    }

    private void assertUsageError(String firstLine, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        WscMain.Launch launch = parse(args);
        assertNull(launch.properties());
        assertEquals(WscMain.CONFIG_ERROR, launch.exitStatus());
        String[] lines = err.toString().split("\\R");
        assertEquals(firstLine, lines[0]);
        assertTrue(lines[1].startsWith("Usage: wsc"), err.toString());
        assertEquals("", out.toString());
    }

    private Map<String, String> start(String... args) {
        WscMain.Launch launch = parse(args);
        assertEquals("", err.toString());
        return launch.properties();
    }

    private WscMain.Launch parse(String... args) {
        return WscMain.parse(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }
}
