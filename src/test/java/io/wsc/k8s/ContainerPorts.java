package io.wsc.k8s;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** A rendered container's ports by name ({@code http} -> 8088). */
final class ContainerPorts {

    private ContainerPorts() {
    }

    static Map<String, Integer> of(JsonNode container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        container.path("ports")
                .forEach(port -> ports.put(port.path("name").asText(), port.path("containerPort").asInt()));
        return ports;
    }
}
