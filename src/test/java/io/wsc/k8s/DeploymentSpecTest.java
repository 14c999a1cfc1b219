package io.wsc.k8s;

import static io.wsc.k8s.HelmChartTest.EXISTING_SECRET;
import static io.wsc.k8s.HelmChartTest.secretRef;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** What the rendered Deployment asks of Kubernetes: a locked-down pod, the key from a Secret, probes, a clean drain. */
class DeploymentSpecTest {

    private final Rendered defaults = Chart.render(EXISTING_SECRET);
    private final JsonNode container = defaults.container();
    private final JsonNode pod = defaults.one("Deployment").at("/spec/template/spec");

    @Test
    void runsAsNonRootOnAReadOnlyFilesystemWithoutCapabilities() {
        JsonNode security = container.path("securityContext");
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
        assertTrue(security.path("runAsNonRoot").asBoolean());
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean());
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true));
        assertEquals("[\"ALL\"]", security.at("/capabilities/drop").toString());
        assertEquals("RuntimeDefault", pod.at("/securityContext/seccompProfile/type").asText());
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), "wsc never calls the Kubernetes API");
        assertFalse(pod.path("enableServiceLinks").asBoolean(true), "no WSC_SERVICE_HOST and the like in wsc's env");
    }

    @Test
    void tmpIsAWritableEmptyDir() {
        assertEquals("/tmp", container.at("/volumeMounts/0/mountPath").asText());
        String volume = container.at("/volumeMounts/0/name").asText();
        assertEquals(volume, pod.at("/volumes/0/name").asText());
        assertTrue(pod.at("/volumes/0/emptyDir").isObject());
    }

    @Test
    void takesTheKeyFromTheExistingSecretOnly() {
        JsonNode env = container.path("env");
        assertEquals("WSC_ACCESS_KEY", env.at("/0/name").asText());
        assertEquals(secretRef("wsc"), env.at("/0/valueFrom/secretKeyRef"));
        assertFalse(defaults.has("Secret"), "an existing Secret is not created again");
        assertFalse(defaults.text().contains("WSC_ACCESS_KEY: "), "no ConfigMap or plain value carries the key");
    }

    @Test
    void aCreatedSecretHoldsTheValueAndNothingElseDoes() {
        String key = "try-it-out-key";
        Rendered rendered = Chart.render(Map.of("accessKey.value", key));
        JsonNode secret = rendered.one("Secret");
        String encoded = Base64.getEncoder().encodeToString(key.getBytes());
        assertEquals(encoded, secret.at("/data/access-key").asText());
        assertEquals(secretRef(secret.at("/metadata/name").asText()),
                rendered.container().at("/env/0/valueFrom/secretKeyRef"));
        for (JsonNode object : rendered.objects()) {
            if (object != secret) {
                assertFalse(object.toString().contains(key) || object.toString().contains(encoded), object.toString());
            }
        }
    }

    @Test
    void theSubscribeHookArrivesAsEnvironmentAndIsOffByDefault() {
        JsonNode data = Chart.render(Map.of("accessKey.existingSecret", "wsc", "config.authorizeUrl",
                "http://app:8080/wsc/authorize", "config.authorizeTimeout", "1s", "config.authorizeMaxConcurrent", 64,
                "config.authorizeCache", "5s")).one("ConfigMap").path("data");
        assertEquals("http://app:8080/wsc/authorize", data.path("WSC_SUBSCRIBE_AUTHORIZE_URL").asText());
        assertEquals("1s", data.path("WSC_SUBSCRIBE_AUTHORIZE_TIMEOUT").asText());
        assertEquals("64", data.path("WSC_SUBSCRIBE_AUTHORIZE_MAX_CONCURRENT").asText());
        assertEquals("5s", data.path("WSC_SUBSCRIBE_AUTHORIZE_CACHE").asText());
        JsonNode defaults = Chart.render(Map.of("accessKey.existingSecret", "wsc")).one("ConfigMap").path("data");
        assertFalse(defaults.has("WSC_SUBSCRIBE_AUTHORIZE_URL"));
    }

    @Test
    void connectionLimitsArriveAsEnvironmentAndAreLeftToTheAppByDefault() {
        JsonNode data = Chart.render(Map.of("accessKey.existingSecret", "wsc", "config.httpHeaderTimeout", "5s",
                "config.httpBodyTimeout", "6s", "config.httpKeepAliveTimeout", "30s",
                "config.maxConnectionsPerAddress", 100, "config.maxChannelsPerConnection", 8,
                "config.maxChannelsPerPublish", 16, "config.http2Cleartext", true)).one("ConfigMap")
                .path("data");
        assertEquals("5s", data.path("WSC_HTTP_HEADER_TIMEOUT").asText());
        assertEquals("6s", data.path("WSC_HTTP_BODY_TIMEOUT").asText());
        assertEquals("30s", data.path("WSC_HTTP_KEEP_ALIVE_TIMEOUT").asText());
        assertEquals("100", data.path("WSC_MAX_CONNECTIONS_PER_ADDRESS").asText());
        assertEquals("8", data.path("WSC_MAX_CHANNELS_PER_CONNECTION").asText());
        assertEquals("16", data.path("WSC_MAX_CHANNELS_PER_PUBLISH").asText());
        assertEquals("true", data.path("WSC_HTTP2_CLEARTEXT").asText());
        JsonNode defaults = Chart.render(Map.of("accessKey.existingSecret", "wsc")).one("ConfigMap").path("data");
        for (String name : new String[] { "WSC_HTTP_HEADER_TIMEOUT", "WSC_HTTP_BODY_TIMEOUT",
                "WSC_HTTP_KEEP_ALIVE_TIMEOUT", "WSC_MAX_CONNECTIONS_PER_ADDRESS", "WSC_MAX_CHANNELS_PER_CONNECTION",
                "WSC_MAX_CHANNELS_PER_PUBLISH", "WSC_HTTP2_CLEARTEXT" }) {
            assertTrue(data.has(name) && !defaults.has(name), name + ": the jar's default unless set");
        }
    }

    @Test
    void presenceBoundsArriveAsEnvironmentAndAreLeftToTheAppByDefault() {
        JsonNode data = Chart.render(Map.of("accessKey.existingSecret", "wsc", "config.presenceMax", 50,
                "config.presenceMaxInfoBytes", 256, "config.presenceMaxEventsPerSecond", 20)).one("ConfigMap")
                .path("data");
        assertEquals("50", data.path("WSC_PRESENCE_MAX").asText());
        assertEquals("256", data.path("WSC_PRESENCE_MAX_INFO_BYTES").asText());
        assertEquals("20", data.path("WSC_PRESENCE_MAX_EVENTS_PER_SECOND").asText());
        JsonNode defaults = Chart.render(Map.of("accessKey.existingSecret", "wsc")).one("ConfigMap").path("data");
        for (String name : new String[] { "WSC_PRESENCE_MAX", "WSC_PRESENCE_MAX_INFO_BYTES",
                "WSC_PRESENCE_MAX_EVENTS_PER_SECOND" }) {
            assertFalse(defaults.has(name), name + ": the jar's default unless set");
        }
    }

    @Test
    void settingsAndJvmOptionsArriveAsEnvironment() {
        Rendered rendered = Chart.render(Map.of("accessKey.existingSecret", "wsc", "config.pingInterval", "20s",
                "config.maxMessageBytes", 2048, "jvmOptions", "-XX:MaxRAMPercentage=75",
                "extraEnv[0].name", "QUARKUS_LOG_LEVEL", "extraEnv[0].value", "DEBUG", "config.historySize", 500,
                "config.historyTtl", "10m", "config.sseHeartbeat", "20s"));
        JsonNode data = rendered.one("ConfigMap").path("data");
        assertEquals("20s", data.path("WSC_PING_INTERVAL").asText());
        assertEquals("500", data.path("WSC_HISTORY_SIZE").asText());
        assertEquals("10m", data.path("WSC_HISTORY_TTL").asText());
        assertEquals("20s", data.path("WSC_SSE_HEARTBEAT").asText());
        assertEquals("2048", data.path("WSC_MAX_MESSAGE_BYTES").asText());
        JsonNode configMapRef = rendered.container().at("/envFrom/0/configMapRef/name");
        assertEquals(rendered.one("ConfigMap").at("/metadata/name").asText(), configMapRef.asText());
        assertEquals("{\"name\":\"JDK_JAVA_OPTIONS\",\"value\":\"-XX:MaxRAMPercentage=75\"}",
                rendered.container().at("/env/1").toString());
        assertEquals("QUARKUS_LOG_LEVEL", rendered.container().at("/env/2/name").asText());
    }

    @Test
    void aChangedSettingRollsThePods() {
        Map<String, Object> changed = new HashMap<>(EXISTING_SECRET);
        changed.put("config.pingInterval", "20s");
        String annotation = "/spec/template/metadata/annotations/checksum~1config";
        assertNotEquals(defaults.one("Deployment").at(annotation).asText(),
                Chart.render(changed).one("Deployment").at(annotation).asText());
    }

    @Test
    void probesUseTheManagementPortWhichTheServiceDoesNotExpose() {
        assertEquals(8088, ContainerPorts.of(container).get("http"));
        assertEquals(9000, ContainerPorts.of(container).get("management"));
        Map<String, String> probes = Map.of("startupProbe", "/q/health/started", "livenessProbe", "/q/health/live",
                "readinessProbe", "/q/health/ready");
        probes.forEach((probe, path) -> {
            assertEquals(path, container.at("/" + probe + "/httpGet/path").asText(), probe);
            assertEquals("management", container.at("/" + probe + "/httpGet/port").asText(), probe);
        });
        JsonNode servicePorts = defaults.one("Service").at("/spec/ports");
        assertEquals(1, servicePorts.size(), "only the public port");
        assertEquals("http", servicePorts.at("/0/targetPort").asText());
    }

    @Test
    void theServiceSelectsThePodsOfTheDeployment() {
        JsonNode deployment = defaults.one("Deployment");
        JsonNode selector = defaults.one("Service").at("/spec/selector");
        assertEquals(selector, deployment.at("/spec/selector/matchLabels"));
        JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
        selector.fields().forEachRemaining(label ->
                assertEquals(label.getValue(), podLabels.path(label.getKey()), label.getKey()));
    }

    /**
     * preStop sleep, then the app's shutdown delay and the rest of its shutdown (Quarkus has no shutdown timeout here;
     * the Redis broker's goodbye waits at most wsc.redis.timeout, 2 s) must all fit in the grace period.
     */
    @Test
    void aTerminatingPodDrainsWithinItsGracePeriod() throws IOException {
        long preStop = Long.parseLong(container.at("/lifecycle/preStop/exec/command/1").asText());
        assertEquals("sleep", container.at("/lifecycle/preStop/exec/command/0").asText());
        assertTrue(preStop >= 3, "endpoints and proxies need a few seconds to stop routing here");
        Duration shutdownDelay = seconds(defaults.one("ConfigMap").at("/data/WSC_SHUTDOWN_DELAY").asText());
        assertFalse(applicationProperties().containsKey("quarkus.shutdown.timeout"),
                "an upgraded WebSocket always runs Quarkus's shutdown timeout out");
        Duration needed = Duration.ofSeconds(preStop).plus(shutdownDelay).plus(Duration.ofSeconds(3));
        long grace = pod.path("terminationGracePeriodSeconds").asLong();
        assertTrue(grace >= 2 * needed.toSeconds(), "grace " + grace + " s must comfortably exceed " + needed);
    }

    @Test
    void requestsResourcesAndLimitsMemory() {
        assertFalse(container.at("/resources/requests/cpu").asText().isEmpty());
        assertFalse(container.at("/resources/requests/memory").asText().isEmpty());
        assertFalse(container.at("/resources/limits/memory").asText().isEmpty());
    }

    private static Duration seconds(String value) {
        assertTrue(value.matches("\\d+s"), "expected whole seconds like 2s: " + value);
        return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        return properties;
    }
}
