package io.wsc.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

/** The chart in {@code k8s/helm/wsc}, linted and rendered with helm-java (the same Go code as the helm CLI). */
final class Chart {

    static final Path DIR = Path.of("k8s/helm/wsc");
    /** The release name the README and the plain manifests use; it contains the chart name, so objects are "wsc". */
    static final String RELEASE = "wsc";

    private Chart() {
    }

    static String version() {
        return chartYaml().path("version").asText();
    }

    static String appVersion() {
        return chartYaml().path("appVersion").asText();
    }

    private static JsonNode chartYaml() {
        try {
            return Yaml.MAPPER.readTree(DIR.resolve("Chart.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code helm template wsc k8s/helm/wsc --set key=value ...} with values given as {@code --set} paths. */
    static Rendered render(Map<String, ?> values) {
        return Rendered.parse(renderText(DIR, values));
    }

    static String renderText(Path chart, Map<String, ?> values) {
        TemplateCommand template = new Helm(chart).template().withName(RELEASE);
        values.forEach(template::set);
        return template.call();
    }

    /** The message helm fails with when it refuses to render these values. */
    static String refusal(Map<String, ?> values) {
        try {
            renderText(DIR, values);
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        throw new AssertionError("helm rendered values it should refuse: " + values);
    }

    /**
     * {@code helm lint --strict} with extra values. helm-java's lint takes no values, so a copy of the chart gets them
     * merged into its values.yaml (plain dotted paths only, no list indexes).
     */
    static LintResult lint(Map<String, ?> values) {
        Path copy = copy();
        try {
            ObjectNode merged = (ObjectNode) Yaml.MAPPER.readTree(copy.resolve("values.yaml").toFile());
            values.forEach((path, value) -> set(merged, path, value));
            Yaml.MAPPER.writeValue(copy.resolve("values.yaml").toFile(), merged);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Helm(copy).lint().strict().call();
    }

    /** A copy of the chart in a temporary directory, for tests that change its files. */
    static Path copy() {
        try {
            Path target = Files.createTempDirectory("wsc-chart").resolve("wsc");
            try (Stream<Path> files = Files.walk(DIR)) {
                for (Iterator<Path> it = files.iterator(); it.hasNext();) {
                    Path source = it.next();
                    Files.copy(source, target.resolve(DIR.relativize(source).toString()));
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets a dotted path ({@code accessKey.existingSecret}) as {@code --set} does, creating objects on the way. */
    private static void set(ObjectNode root, String path, Object value) {
        String[] keys = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < keys.length - 1; i++) {
            node = node.withObjectProperty(keys[i]);
        }
        node.set(keys[keys.length - 1], Yaml.MAPPER.valueToTree(value));
    }
}
