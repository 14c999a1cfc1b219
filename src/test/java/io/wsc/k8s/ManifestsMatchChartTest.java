package io.wsc.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The plain manifests in {@code k8s/manifests/} are the chart rendered with its default values and
 * {@code accessKey.existingSecret=wsc}, compared as parsed objects (comments and layout may differ).
 * {@code -Dk8s.manifests.update=true} rewrites them from the chart instead.
 */
class ManifestsMatchChartTest {

    static final Path DIR = Path.of("k8s/manifests");
    static final String REGENERATE = "./mvnw test -Dtest=ManifestsMatchChartTest -Dk8s.manifests.update=true";
    private static final Pattern SOURCE = Pattern.compile("^# Source: wsc/templates/(\\S+)$", Pattern.MULTILINE);

    private final Rendered rendered = Chart.render(HelmChartTest.EXISTING_SECRET);

    @Test
    void manifestsEqualTheChartsRender() throws IOException {
        if (Boolean.getBoolean("k8s.manifests.update")) {
            write();
        }
        Map<String, JsonNode> expected = byKindAndName(rendered.withoutHooks());
        Map<String, JsonNode> actual = byKindAndName(manifests());
        assertEquals(expected.keySet(), actual.keySet(), drift("the objects"));
        expected.forEach((object, render) -> assertEquals(render, actual.get(object), drift(object)));
    }

    /** The example Secret is not applied by {@code kubectl apply -f k8s/manifests/} and holds no real key. */
    @Test
    void theSecretExampleHasTheShapeTheDeploymentReads() throws IOException {
        JsonNode secret = Yaml.documents(Files.readString(DIR.resolve("secret.yaml.example"))).get(0);
        JsonNode ref = rendered.container().at("/env/0/valueFrom/secretKeyRef");
        assertEquals("Secret", secret.path("kind").asText());
        assertEquals(ref.path("name").asText(), secret.at("/metadata/name").asText());
        String key = secret.at("/stringData/" + ref.path("key").asText()).asText();
        assertTrue(key.startsWith("REPLACE"), "a placeholder, never a real key: " + key);
        assertFalse(manifests().stream().anyMatch(o -> "Secret".equals(o.path("kind").asText())),
                "kubectl apply -f k8s/manifests/ must not overwrite the user's Secret");
    }

    private static String drift(String what) {
        return "k8s/manifests/ differs from the chart's render (default values + accessKey.existingSecret=wsc) in "
                + what + ". Regenerate them with `" + REGENERATE + "` and review the diff.";
    }

    private static List<JsonNode> manifests() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted()
                    .flatMap(f -> Yaml.documents(read(f)).stream()).toList();
        }
    }

    private static Map<String, JsonNode> byKindAndName(List<JsonNode> objects) {
        Map<String, JsonNode> map = new TreeMap<>();
        objects.forEach(o -> map.put(o.path("kind").asText() + " " + o.at("/metadata/name").asText(), o));
        return map;
    }

    /** One file a template, named after it, as helm printed it. */
    private void write() throws IOException {
        try (Stream<Path> old = Files.list(DIR)) {
            for (Path file : old.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.delete(file);
            }
        }
        for (String document : rendered.text().split("(?m)^---$")) {
            Matcher source = SOURCE.matcher(document);
            if (source.find()) {
                String header = "# Generated from k8s/helm/wsc (" + source.group(1) + ") with default values and"
                        + " accessKey.existingSecret=wsc.\n# Do not edit: change the chart, then run " + REGENERATE
                        + "\n";
                String body = document.substring(source.end()).strip();
                Files.writeString(DIR.resolve(source.group(1)), header + body + "\n");
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
