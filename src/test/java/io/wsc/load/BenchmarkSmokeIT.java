package io.wsc.load;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wsc.support.PackagedServer;
import io.wsc.support.TestKey;

/**
 * The benchmark's smoke scenario (500 subscribers over 5 channels, 50 messages) against the packaged server, so that
 * the benchmark cannot rot: nothing lost, the counts right, a table and a JSON last line that parses. Its figures of
 * speed are printed, never asserted.
 */
class BenchmarkSmokeIT {

    @Test
    void smokeScenarioDeliversEveryMessage() throws Exception {
        try (PackagedServer server = PackagedServer.startReady(Map.of("WSC_ACCESS_KEY", TestKey.KEY))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = Benchmark.run(new String[] { "smoke", "--url", server.base().toString(), "--access-key",
                    TestKey.KEY, "--pid", Long.toString(server.process().pid()) }, new PrintStream(out, true, UTF_8),
                    System.err);
            String printed = out.toString(UTF_8);
            System.out.println(printed);
            List<String> lines = printed.strip().lines().toList();

            assertEquals(0, status, printed);
            assertTrue(lines.get(0).startsWith("| scenario |"), printed);
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("| smoke |")), printed);
            JsonNode json = new ObjectMapper().readTree(lines.get(lines.size() - 1));
            assertTrue(json.get("ok").asBoolean(), printed);
            JsonNode smoke = json.get("scenarios").get(0);
            assertEquals("smoke", smoke.get("scenario").asText());
            assertEquals(500, smoke.get("subs").asInt());
            assertEquals(50, smoke.get("messages").asInt());
            assertEquals(500, smoke.get("peers_reported").asLong());
            assertEquals(50, smoke.get("posts_ok").asLong());
            assertEquals(0, smoke.get("posts_failed").asLong());
            // 5 channels of 100 subscribers, 10 messages each
            assertEquals(5000, smoke.get("expected").asLong());
            assertEquals(5000, smoke.get("delivered").asLong());
            assertEquals(0, smoke.get("lost").asLong());
            assertEquals(0, smoke.get("duplicated").asLong());
            assertTrue(smoke.get("server_rss_connected_kb").asLong() > 0, "server memory read from /proc");
            assertTrue(smoke.has("server_us_per_delivery"), "server CPU read from /proc");
        }
    }

    @Test
    void multiplexedSmokeCountsEveryChannelOfEveryConnection() throws Exception {
        try (PackagedServer server = PackagedServer.startReady(Map.of("WSC_ACCESS_KEY", TestKey.KEY))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            // 200 connections on 3 of 6 channels each: 100 subscriptions a channel, 10 messages a channel
            int status = Benchmark.run(new String[] { "smoke", "--subs", "200", "--channels", "6", "--messages", "60",
                    "--channels-per-connection", "3", "--frames", "json", "--url", server.base().toString(),
                    "--access-key", TestKey.KEY }, new PrintStream(out, true, UTF_8), System.err);
            String printed = out.toString(UTF_8);
            System.out.println(printed);
            List<String> lines = printed.strip().lines().toList();

            assertEquals(0, status, printed);
            JsonNode smoke = new ObjectMapper().readTree(lines.get(lines.size() - 1)).get("scenarios").get(0);
            assertEquals(3, smoke.get("channels_per_connection").asInt());
            assertEquals("json", smoke.get("frames").asText());
            assertEquals(600, smoke.get("peers_reported").asLong());
            assertEquals(6000, smoke.get("expected").asLong());
            assertEquals(6000, smoke.get("delivered").asLong());
            assertEquals(0, smoke.get("lost").asLong());
            assertEquals(0, smoke.get("duplicated").asLong());
        }
    }
}
