package io.wsc.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.wsc.support.PackagedServer;
import io.wsc.support.TestSubscriber;

/**
 * The packaged jar, started with its own default ports and the environment the chart gives the pod, answers where the
 * rendered Deployment points: probes on the ports they name, channels on the {@code http} port. A port or path that
 * changes on one side only breaks the build.
 */
class ChartMatchesAppIT {

    private static final String KEY = "k8s-check-key";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theAppServesWhatTheChartPointsAt() throws Exception {
        Rendered rendered = Chart.render(HelmChartTest.EXISTING_SECRET);
        JsonNode container = rendered.container();
        Map<String, Integer> ports = ContainerPorts.of(container);
        try (PackagedServer server = PackagedServer.startOnItsOwnPorts(podEnvironment(rendered), ports.get("http"),
                ports.get("management")).awaitReady()) {
            for (String probe : new String[] { "startupProbe", "livenessProbe", "readinessProbe" }) {
                JsonNode httpGet = container.path(probe).path("httpGet");
                int port = ports.get(httpGet.path("port").asText());
                String path = httpGet.path("path").asText();
                assertEquals(200, get(port, path, Map.of()).statusCode(), probe + " " + path + " on port " + port);
            }
            assertChannelsOnPort(server, ports.get("http"));
            assertChannelsPerConnectionDefault(ports.get("http"));
            assertHalfOpenRequestsAreCut(ports.get("http"));
            assertEquals(200, get(ports.get("http"), helmTestPath(), Map.of("access-key", KEY)).statusCode(),
                    "the helm test pod's request");
        }
    }

    /** What the pod gets: the ConfigMap's settings and the key from the Secret. */
    private static Map<String, String> podEnvironment(Rendered rendered) {
        Map<String, String> env = new HashMap<>();
        rendered.one("ConfigMap").path("data").fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        env.put(rendered.container().at("/env/0/name").asText(), KEY);
        return env;
    }

    private void assertChannelsOnPort(PackagedServer server, int port) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/k8s/check")) {
            HttpRequest publish = HttpRequest.newBuilder(base.resolve("k8s/check")).header("access-key", KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("hello pod")).build();
            HttpResponse<String> receipt = http.send(publish, HttpResponse.BodyHandlers.ofString());
            assertEquals(201, receipt.statusCode(), receipt.body());
            assertTrue(receipt.body().contains("\"recipients\":1"), receipt.body());
            assertEquals("hello pod", subscriber.next());
        }
    }

    /** The chart leaves wsc.max-channels-per-connection to the jar: 64 channels on one connection, not 65. */
    private static void assertChannelsPerConnectionDefault(int port) {
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        String sixtyFour = "/k8s/0?" + IntStream.range(1, 64).mapToObj(i -> "channel=k8s/" + i)
                .collect(Collectors.joining("&"));
        List<String> json = List.of("wsc.v1.json");
        assertEquals(101, TestSubscriber.upgradeStatus(base, sixtyFour, Map.of(), json));
        assertEquals(400, TestSubscriber.upgradeStatus(base, sixtyFour + "&channel=k8s/64", Map.of(), json));
    }

    /**
     * The chart leaves the HTTP timeouts to the jar, whose default header timeout (10 s) answers a half-sent request
     * with 408; 5 s of slack.
     */
    private static void assertHalfOpenRequestsAreCut(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            long start = System.nanoTime();
            socket.getOutputStream().write("POST /k8s/slow HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(15_000);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            assertTrue(millis >= 9_900, millis + " ms: the default is 10 s");
        }
    }

    private HttpResponse<String> get(int port, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The path the helm test pod asks for (hooks are not in helm-java's render, so it is read from the template). */
    private static String helmTestPath() throws IOException {
        String template = Files.readString(Chart.DIR.resolve("templates/tests/test-connection.yaml"));
        Matcher url = Pattern.compile("\\{\\{ \\.Values\\.service\\.port }}(/\\S*)").matcher(template);
        assertTrue(url.find(), "the helm test pod's URL");
        return url.group(1);
    }
}
