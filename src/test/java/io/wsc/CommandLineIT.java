package io.wsc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.wsc.client.WscClient;
import io.wsc.client.WscException;
import io.wsc.support.PackagedServer;
import io.wsc.support.TestSubscriber;

/** The packaged server started the original's way: {@code wsc ACCESS_KEY --host HOST --port PORT}. */
class CommandLineIT {

    @Test
    void startsWithKeyHostAndPortFromTheCommandLine() throws Exception {
        int port = PackagedServer.freePort();
        // No WSC_ACCESS_KEY: the key comes from the arguments; --port wins over the harness's -Dquarkus.http.port.
        try (PackagedServer server = PackagedServer.startReady(Map.of(), "K3Y", "--host", "127.0.0.1",
                "--port", String.valueOf(port))) {
            URI base = URI.create("http://127.0.0.1:" + port);
            try (TestSubscriber subscriber = TestSubscriber.connect(base, "/chat/room/1")) {
                assertEquals(1, WscClient.create("K3Y", "127.0.0.1", port).send("chat/room/1", "hi").recipients());
                assertEquals("hi", subscriber.next());
            }
            assertThrows(ConnectException.class,
                    () -> WscClient.create("K3Y", "127.0.0.1", server.httpPort).send("x", "unused"));
        }
    }

    @Test
    void readsTheKeyFromAFileSoThatItStaysOutOfPs(@TempDir Path dir) throws Exception {
        Path keyFile = Files.writeString(dir.resolve("access-key"), "from-a-file\n");
        int port = PackagedServer.freePort();
        try (PackagedServer server = PackagedServer.startReady(Map.of(), "--access-key-file", keyFile.toString(),
                "--port", String.valueOf(port))) {
            assertEquals("Message sent", WscClient.create("from-a-file", "127.0.0.1", port).send("c", "x").status());
            WscException refused = assertThrows(WscException.class,
                    () -> WscClient.create("from-a-fil", "127.0.0.1", port).send("c", "x"));
            assertEquals(401, refused.statusCode());
            assertFalse(server.process().info().commandLine().orElse("").contains("from-a-file"));
        }
    }

    @Test
    void theLauncherScriptPrintsHelpAndVersion() throws Exception {
        Result help = launcher("--help");
        assertEquals(0, help.status, help.output);
        assertTrue(help.output.startsWith("Usage: wsc [-hV] [--access-key-file=PATH] [--host=HOST] [--port=PORT]"),
                help.output);
        Result version = launcher("--version");
        assertEquals(0, version.status, version.output);
        assertTrue(version.output.matches("wsc \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), version.output);
    }

    @Test
    void usageErrorsExitWithTwoAndOneLineWithoutAStackTrace() throws Exception {
        for (List<String> args : List.of(List.of("k", "--port", "eighty"), List.of("k", "--verbose"),
                List.of("k", "--port", "99999"), List.of("--access-key-file", "/nonexistent/key"))) {
            Result result = launcher(args.toArray(String[]::new));
            assertEquals(2, result.status, result.output);
            assertTrue(result.output.startsWith("wsc: "), result.output);
            assertTrue(result.output.lines().skip(1).findFirst().orElse("").startsWith("Usage: wsc"), result.output);
            assertFalse(result.output.contains("\tat "), "no stack trace:\n" + result.output);
        }
    }

    private record Result(int status, String output) {
    }

    /** Runs {@code bin/wsc} with the JVM running this test first on the PATH, as a user's shell would. */
    private static Result launcher(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bin/wsc"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                + System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "bin/wsc must exit");
        return new Result(process.exitValue(), output);
    }
}
