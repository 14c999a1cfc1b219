package io.wsc.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;

/** The chart lints and renders for every supported value set, and refuses the unsafe ones with a clear message. */
class HelmChartTest {

    static final Map<String, Object> EXISTING_SECRET = Map.of("accessKey.existingSecret", "wsc");

    static Stream<Arguments> valueSets() {
        return Stream.of(
                Arguments.of("existing secret", EXISTING_SECRET),
                Arguments.of("created secret", Map.of("accessKey.value", "try-it-out")),
                Arguments.of("ingress", Map.of("accessKey.existingSecret", "wsc", "ingress.enabled", true)),
                Arguments.of("pdb", Map.of("accessKey.existingSecret", "wsc", "podDisruptionBudget.enabled", true)),
                Arguments.of("redis broker, 3 replicas, autoscaling, PDB", Map.of("accessKey.existingSecret", "wsc",
                        "broker.type", "redis", "broker.redis.hosts", "redis://redis-master:6379",
                        "broker.redis.existingSecret", "redis", "replicaCount", 3, "autoscaling.enabled", true,
                        "podDisruptionBudget.enabled", true)),
                Arguments.of("settings, JVM options, no service account", Map.of("accessKey.existingSecret", "wsc",
                        "jvmOptions", "-XX:MaxRAMPercentage=75", "config.pingInterval", "20s",
                        "serviceAccount.create", false)));
    }

    @Test
    void lintsWithTheDefaultValues() {
        // helm lint does not count a template's fail (here: no access key) as an error.
        assertLintPasses(Chart.lint(Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void lintsAndRendersWith(String name, Map<String, Object> values) {
        assertLintPasses(Chart.lint(values));
        Rendered rendered = Chart.render(values);
        assertTrue(rendered.has("Deployment") && rendered.has("Service"), rendered.kinds());
    }

    @Test
    void defaultsRenderOnlyTheObjectsEveryInstallNeeds() {
        Rendered rendered = Chart.render(EXISTING_SECRET);
        assertEquals("[ServiceAccount, ConfigMap, Service, Deployment]", rendered.kinds());
        assertEquals(1, rendered.one("Deployment").at("/spec/replicas").asInt());
    }

    @Test
    void everyObjectCarriesTheStandardLabels() {
        Rendered rendered = Chart.render(Map.of("accessKey.value", "k", "ingress.enabled", true,
                "podDisruptionBudget.enabled", true));
        for (JsonNode object : rendered.objects()) {
            JsonNode labels = object.at("/metadata/labels");
            assertEquals("wsc", labels.path("app.kubernetes.io/name").asText(), object.toString());
            assertEquals(Chart.RELEASE, labels.path("app.kubernetes.io/instance").asText(), object.toString());
            assertEquals(Chart.appVersion(), labels.path("app.kubernetes.io/version").asText(), object.toString());
            assertEquals("Helm", labels.path("app.kubernetes.io/managed-by").asText(), object.toString());
            assertEquals("wsc-" + Chart.version(), labels.path("helm.sh/chart").asText(), object.toString());
        }
    }

    @Test
    void refusesToRenderWithoutAnAccessKey() {
        assertTrue(Chart.refusal(Map.of()).contains("wsc: no access key: set accessKey.existingSecret"));
    }

    @Test
    void refusesTwoSourcesForTheKey() {
        assertTrue(Chart.refusal(Map.of("accessKey.existingSecret", "wsc", "accessKey.value", "k"))
                .contains("set accessKey.existingSecret or accessKey.value, not both"));
    }

    @Test
    void refusesTheKeyAsAPlainEnvValue() {
        assertTrue(Chart.refusal(Map.of("accessKey.existingSecret", "wsc", "extraEnv[0].name", "WSC_ACCESS_KEY",
                "extraEnv[0].value", "k")).contains("the access key must come from a Secret"));
    }

    @Test
    void refusesMoreThanOneReplicaWithTheMemoryBroker() {
        String message = "wsc: replicaCount > 1 (or autoscaling) needs broker.type=redis: "
                + "the in-memory broker delivers only to subscribers on its own pod";
        assertTrue(Chart.refusal(Map.of("accessKey.existingSecret", "wsc", "replicaCount", 2)).contains(message));
        assertTrue(Chart.refusal(Map.of("accessKey.existingSecret", "wsc", "autoscaling.enabled", true))
                .contains(message));
    }

    @Test
    void refusesABrokerThatDoesNotExist() {
        String refusal = Chart.refusal(Map.of("accessKey.existingSecret", "wsc", "broker.type", "kafka"));
        assertTrue(refusal.contains("/broker/type") && refusal.contains("memory"), refusal);
    }

    @Test
    void redisBrokerNeedsHostsAndKeepsItsPasswordInASecret() {
        assertTrue(Chart.refusal(Map.of("accessKey.existingSecret", "wsc", "broker.type", "redis"))
                .contains("broker.type=redis needs broker.redis.hosts"));
        assertTrue(Chart.refusal(Map.of("accessKey.existingSecret", "wsc", "broker.type", "redis",
                "broker.redis.hosts", "redis://:hunter2@redis:6379")).contains("must not carry a password"));
        Rendered rendered = Chart.render(Map.of("accessKey.existingSecret", "wsc", "broker.type", "redis",
                "broker.redis.hosts", "redis://redis-master:6379", "broker.redis.existingSecret", "redis",
                "replicaCount", 3));
        JsonNode config = rendered.one("ConfigMap").path("data");
        assertEquals("redis", config.path("WSC_BROKER").asText());
        assertEquals("redis://redis-master:6379", config.path("QUARKUS_REDIS_HOSTS").asText());
        JsonNode deployment = rendered.one("Deployment");
        assertEquals(3, deployment.at("/spec/replicas").asInt());
        JsonNode password = env(deployment, "QUARKUS_REDIS_PASSWORD");
        assertEquals("redis", password.at("/valueFrom/secretKeyRef/name").asText());
        assertEquals("redis-password", password.at("/valueFrom/secretKeyRef/key").asText());
    }

    /** The container's environment variable {@code name} (its EnvVar object), or null. */
    private static JsonNode env(JsonNode deployment, String name) {
        for (JsonNode env : deployment.at("/spec/template/spec/containers/0/env")) {
            if (env.path("name").asText().equals(name)) {
                return env;
            }
        }
        return null;
    }

    @Test
    void webhooksTakeTheirUrlAndDelayAsValuesAndTheirSecretFromASecret() {
        assertTrue(Chart.refusal(Map.of("accessKey.existingSecret", "wsc", "config.webhookUrl", "http://app/wsc-events"))
                .contains("config.webhookUrl needs webhookSecret.existingSecret"));
        assertTrue(Chart.refusal(Map.of("accessKey.existingSecret", "wsc", "extraEnv[0].name", "WSC_WEBHOOK_SECRET",
                "extraEnv[0].value", "s")).contains("the webhook secret must come from a Secret"));
        Rendered rendered = Chart.render(Map.of("accessKey.existingSecret", "wsc",
                "config.webhookUrl", "http://app/wsc-events", "config.webhookVacatedDelay", "5s",
                "webhookSecret.existingSecret", "wsc-webhook"));
        JsonNode config = rendered.one("ConfigMap").path("data");
        assertEquals("http://app/wsc-events", config.path("WSC_WEBHOOK_URL").asText());
        assertEquals("5s", config.path("WSC_WEBHOOK_VACATED_DELAY").asText());
        assertTrue(config.path("WSC_WEBHOOK_SECRET").isMissingNode());
        JsonNode secret = env(rendered.one("Deployment"), "WSC_WEBHOOK_SECRET");
        assertEquals("wsc-webhook", secret.at("/valueFrom/secretKeyRef/name").asText());
        assertEquals("webhook-secret", secret.at("/valueFrom/secretKeyRef/key").asText());
    }

    @Test
    void sentinelAndClusterAreQuarkusRedisClientSettings() {
        String sentinels = "redis://sentinel-0:26379,redis://sentinel-1:26379,redis://sentinel-2:26379";
        assertTrue(Chart.refusal(Map.of("accessKey.existingSecret", "wsc", "broker.type", "redis",
                "broker.redis.mode", "sentinel", "broker.redis.hosts", sentinels)).contains("needs broker.redis.masterName"));
        String refusal = Chart.refusal(Map.of("accessKey.existingSecret", "wsc", "broker.type", "redis",
                "broker.redis.mode", "replication", "broker.redis.hosts", sentinels));
        assertTrue(refusal.contains("/broker/redis/mode") && refusal.contains("sentinel"), refusal);

        JsonNode sentinel = Chart.render(Map.of("accessKey.existingSecret", "wsc", "broker.type", "redis",
                "broker.redis.mode", "sentinel", "broker.redis.hosts", sentinels, "broker.redis.masterName", "mymaster"))
                .one("ConfigMap").path("data");
        assertEquals("sentinel", sentinel.path("QUARKUS_REDIS_CLIENT_TYPE").asText());
        assertEquals(sentinels, sentinel.path("QUARKUS_REDIS_HOSTS").asText());
        assertEquals("mymaster", sentinel.path("QUARKUS_REDIS_MASTER_NAME").asText());

        JsonNode cluster = Chart.render(Map.of("accessKey.existingSecret", "wsc", "broker.type", "redis",
                "broker.redis.mode", "cluster", "broker.redis.hosts", "redis://redis-0:6379,redis://redis-1:6379"))
                .one("ConfigMap").path("data");
        assertEquals("cluster", cluster.path("QUARKUS_REDIS_CLIENT_TYPE").asText());
        assertTrue(cluster.path("QUARKUS_REDIS_MASTER_NAME").isMissingNode());

        JsonNode standalone = Chart.render(Map.of("accessKey.existingSecret", "wsc", "broker.type", "redis",
                "broker.redis.hosts", "redis://redis-master:6379")).one("ConfigMap").path("data");
        assertTrue(standalone.path("QUARKUS_REDIS_CLIENT_TYPE").isMissingNode(), "Quarkus's default");
    }

    @Test
    void refusesMisspelledValues() {
        String refusal = Chart.refusal(Map.of("accessKey.existingSecret", "wsc", "acessKey.value", "k"));
        assertTrue(refusal.contains("acessKey"), refusal);
    }

    @Test
    void ingressRoutesOnlyToTheHttpPortWithTimeoutsLongerThanThePings() {
        JsonNode ingress = Chart.render(Map.of("accessKey.existingSecret", "wsc", "ingress.enabled", true))
                .one("Ingress");
        JsonNode backend = ingress.at("/spec/rules/0/http/paths/0/backend/service");
        assertEquals("wsc", backend.path("name").asText());
        assertEquals("http", backend.at("/port/name").asText());
        int pingSeconds = 30;
        JsonNode annotations = ingress.at("/metadata/annotations");
        assertTrue(annotations.path("nginx.ingress.kubernetes.io/proxy-read-timeout").asInt() > pingSeconds);
        assertTrue(annotations.path("nginx.ingress.kubernetes.io/proxy-send-timeout").asInt() > pingSeconds);
    }

    @Test
    void podDisruptionBudgetNeverBlocksANodeDrain() {
        Rendered rendered = Chart.render(Map.of("accessKey.existingSecret", "wsc",
                "podDisruptionBudget.enabled", true));
        JsonNode pdb = rendered.one("PodDisruptionBudget");
        assertEquals(1, pdb.at("/spec/maxUnavailable").asInt());
        assertTrue(pdb.at("/spec/minAvailable").isMissingNode());
        assertEquals(rendered.one("Deployment").at("/spec/selector/matchLabels"), pdb.at("/spec/selector/matchLabels"));
    }

    /** With the Redis broker the HPA owns the replica count. */
    @Test
    void autoscalerScalesTheDeploymentWithTheRedisBroker() {
        Rendered rendered = Chart.render(Map.of("accessKey.existingSecret", "wsc", "broker.type", "redis",
                "broker.redis.hosts", "redis://redis-master:6379", "autoscaling.enabled", true));
        JsonNode hpa = rendered.one("HorizontalPodAutoscaler");
        assertEquals("Deployment", hpa.at("/spec/scaleTargetRef/kind").asText());
        assertEquals("wsc", hpa.at("/spec/scaleTargetRef/name").asText());
        assertEquals(2, hpa.at("/spec/minReplicas").asInt());
        assertEquals(70, hpa.at("/spec/metrics/0/resource/target/averageUtilization").asInt());
        assertTrue(rendered.one("Deployment").at("/spec/replicas").isMissingNode(), "the HPA sets the replicas");
    }

    /** helm-java leaves hooks out of its render: the test pod is rendered from a copy without its hook annotation. */
    @Test
    void helmTestPodAsksTheServiceWithTheKeyFromTheSecret() throws IOException {
        Path chart = Chart.copy();
        Path testPod = chart.resolve("templates/tests/test-connection.yaml");
        Files.writeString(testPod, Files.readString(testPod).replace("\"helm.sh/hook\": test", "hook: test"));
        Rendered rendered = Rendered.parse(Chart.renderText(chart, EXISTING_SECRET));
        JsonNode pod = rendered.one("Pod");
        JsonNode container = pod.at("/spec/containers/0");
        assertEquals(secretRef("wsc"), container.at("/env/0/valueFrom/secretKeyRef"));
        String command = container.path("command").get(2).asText();
        assertTrue(command.contains("-H \"access-key: $WSC_ACCESS_KEY\" http://wsc:8088/"), command);
        assertEquals(8088, rendered.one("Service").at("/spec/ports/0/port").asInt());
        assertTrue(pod.at("/spec/securityContext/runAsNonRoot").asBoolean());
    }

    static JsonNode secretRef(String name) {
        return Yaml.MAPPER.valueToTree(Map.of("name", name, "key", "access-key"));
    }

    private static void assertLintPasses(LintResult result) {
        List<String> problems = result.getMessages().stream().filter(m -> !m.startsWith("[INFO]")).toList();
        assertFalse(result.isFailed(), result.getMessages().toString());
        assertTrue(problems.isEmpty(), problems.toString());
    }
}
