package io.wsc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The client jar a backend depends on: only the client and what it needs, and nothing outside the JDK. */
class ClientJarIT {

    @Test
    void holdsOnlyTheClientAndTheChannelNaming() throws Exception {
        try (JarFile jar = new JarFile(clientJar().toFile())) {
            List<String> classes = jar.stream().map(entry -> entry.getName())
                    .filter(name -> name.endsWith(".class")).collect(Collectors.toList());
            assertTrue(classes.contains("io/wsc/client/WscClient.class"), classes.toString());
            assertTrue(classes.stream().allMatch(name -> name.startsWith("io/wsc/client/")
                    || List.of("io/wsc/channel/ChannelId.class", "io/wsc/channel/InvalidChannelException.class",
                            "io/wsc/channel/Utf8.class").contains(name)), classes.toString());
        }
    }

    @Test
    void needsNothingButTheJdk() throws Exception {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("jdeps is missing"));
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-summary", clientJar().toString());
        assertEquals(0, status, out.toString());
        assertFalse(out.toString().contains("not found"), out.toString());
        // e.g. "wsc-0.1.0-SNAPSHOT-client.jar -> java.base" and "-> java.net.http"
        assertTrue(out.toString().lines().allMatch(line -> line.matches(".*-> java\\.(base|net\\.http)")), out.toString());
    }

    private static Path clientJar() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(path -> path.getFileName().toString().matches("wsc-.*-client\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("target/wsc-VERSION-client.jar is missing: run ./mvnw verify"));
        }
    }
}
