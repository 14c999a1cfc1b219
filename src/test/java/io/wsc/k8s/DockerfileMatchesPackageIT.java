package io.wsc.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The image recipe copies what {@code ./mvnw package} builds and agrees with the chart on ports and user. */
class DockerfileMatchesPackageIT {

    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");

    private final List<String> lines = read();
    private final Rendered rendered = Chart.render(HelmChartTest.EXISTING_SECRET);

    @Test
    void copiesTheFastJarLayout() {
        Pattern copy = Pattern.compile("^COPY --chown=(\\d+) (\\S+) (\\S+)$");
        int copies = 0;
        for (String line : lines) {
            Matcher m = copy.matcher(line);
            if (m.matches()) {
                copies++;
                String source = m.group(2).replace("*.jar", "quarkus-run.jar");
                assertTrue(Files.exists(Path.of(source)), line + ": " + source + " is not in the package");
                assertEquals(value("USER"), m.group(1), "files belong to the user that runs them");
            }
        }
        assertEquals(4, copies, "lib/, the jars, app/ and quarkus/");
        assertTrue(lines.contains("ENV JAVA_APP_JAR=\"/deployments/quarkus-run.jar\""), "runs the fast-jar's entry");
    }

    @Test
    void exposesTheChartsContainerPorts() {
        Set<Integer> exposed = new HashSet<>();
        for (String port : value("EXPOSE").split(" ")) {
            exposed.add(Integer.parseInt(port));
        }
        assertEquals(new HashSet<>(ContainerPorts.of(rendered.container()).values()), exposed);
    }

    @Test
    void runsAsTheChartsNonRootUser() {
        JsonNode podSecurity = rendered.one("Deployment").at("/spec/template/spec/securityContext");
        assertEquals(podSecurity.path("runAsUser").asText(), value("USER"));
        assertTrue(podSecurity.path("runAsUser").asInt() > 0);
    }

    /**
     * The image runs the packaged jar as it is, so its connection limits (and channels per connection) are the jar's defaults (ChartMatchesAppIT
     * checks those on the running jar): nothing in the image (an ENV, JAVA_OPTS_APPEND, the entry point) may change
     * them. Comments may name them.
     */
    @Test
    void keepsTheJarsConnectionLimits() {
        for (String line : lines) {
            if (!line.startsWith("#")) {
                for (String setting : new String[] { "WSC_HTTP_", "wsc.http.", "WSC_MAX_CONNECTIONS_PER_ADDRESS",
                        "wsc.max-connections-per-address", "WSC_MAX_CHANNELS_PER_CONNECTION",
                        "wsc.max-channels-per-connection", "WSC_MAX_CHANNELS_PER_PUBLISH",
                        "wsc.max-channels-per-publish", "QUARKUS_HTTP_IDLE_TIMEOUT",
                        "quarkus.http.idle-timeout" }) {
                    assertFalse(line.contains(setting), line);
                }
            }
        }
    }

    /** The arguments of the first line with this instruction. */
    private String value(String instruction) {
        return lines.stream().filter(l -> l.startsWith(instruction + " ")).findFirst()
                .map(l -> l.substring(instruction.length() + 1))
                .orElseThrow(() -> new AssertionError(DOCKERFILE + " has no " + instruction));
    }

    private static List<String> read() {
        try {
            return Files.readAllLines(DOCKERFILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
