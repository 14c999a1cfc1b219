package io.wsc.k8s;

import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/** The objects one {@code helm template} run produced. */
record Rendered(String text, List<JsonNode> objects) {

    static Rendered parse(String text) {
        return new Rendered(text, Yaml.documents(text));
    }

    /** The one object of this kind; fails when there is none or more than one. */
    JsonNode one(String kind) {
        List<JsonNode> found = all(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " but rendered " + kinds());
        }
        return found.get(0);
    }

    List<JsonNode> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    boolean has(String kind) {
        return !all(kind).isEmpty();
    }

    /** The wsc container of the Deployment. */
    JsonNode container() {
        return one("Deployment").at("/spec/template/spec/containers/0");
    }

    /** The objects {@code kubectl apply} would create: without Helm hooks such as the {@code helm test} pod. */
    List<JsonNode> withoutHooks() {
        return objects.stream().filter(o -> o.at("/metadata/annotations/helm.sh~1hook").isMissingNode()).toList();
    }

    String kinds() {
        return objects.stream().map(o -> o.path("kind").asText()).collect(Collectors.joining(", ", "[", "]"));
    }
}
