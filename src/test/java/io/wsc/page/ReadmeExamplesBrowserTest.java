package io.wsc.page;

import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.Subscriber;
import io.wsc.support.HeadlessChromium;
import io.wsc.support.JsonSubscriber;
import io.wsc.ws.HistoryProfile;

/**
 * The README's browser examples, run as pasted (only the port is this test server's): a page saved from the README
 * must do what the README says it does.
 */
@QuarkusTest
@TestProfile(HistoryProfile.class)
class ReadmeExamplesBrowserTest {

    /** The channel and server the README's examples use. */
    private static final String README_CHANNEL = "chat/room/1";
    private static final String README_ORIGIN = "localhost:8088";

    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium();

    @TestHTTPResource("/")
    URI base;

    @Inject
    ChannelHub hub;

    @Test
    void theResumingWebSocketPageCatchesUpAfterADrop(@TempDir Path dir) throws Exception {
        Path page = Files.writeString(dir.resolve("resume.html"), readmeBlock("html", "+ since, \"wsc.v1.json\")"));
        browser().get(page.toUri().toString());
        awaitPeers(README_CHANNEL, 1);
        publish("one");
        publish("two");
        awaitLog(List.of("one", "two"));
        hub.subscribers().stream().filter(s -> s.channelId().equals(README_CHANNEL)).forEach(Subscriber::closeNow);
        publish("three");
        publish("four");
        // The page waits a second before reconnecting; had it been back already, these would have come live.
        assertEquals(0, hub.localSubscribers(README_CHANNEL), "the page reconnected before the test published");
        awaitLog(List.of("one", "two", "three", "four", "caught up 2 messages"));
        awaitPeers(README_CHANNEL, 1);
        publish("five");
        awaitLog(List.of("one", "two", "three", "four", "caught up 2 messages", "five"));
    }

    @Test
    void theEventSourceExampleGetsTextBinaryAndCatchesUpAfterADrop() throws Exception {
        browser().get(base.resolve("/q/any-page-of-the-server").toString());
        browser().executeScript("window.logged = [];"
                + "console.log = console.warn = (...words) => window.logged.push(words.join(' '));"
                + readmeBlock("js", "new EventSource(\"http://localhost:8088/chat/room/1\")") + "window.source = source;");
        awaitPeers(README_CHANNEL, 1);
        String first = withKey().body("hello").post("/" + README_CHANNEL).then().statusCode(201).extract()
                .path("message_id");
        withKey().contentType("application/octet-stream").body(new byte[] { 0, 1, 2 }).post("/" + README_CHANNEL)
                .then().statusCode(201);
        awaitConsole(List.of("received hello id " + first, "received 3 bytes"));
        hub.subscribers().stream().filter(s -> s.channelId().equals(README_CHANNEL)).forEach(Subscriber::closeNow);
        String missed = withKey().body("missed").post("/" + README_CHANNEL).then().statusCode(201).extract()
                .path("message_id");
        // EventSource waits the stream's retry (1 s) before reconnecting; had it been back, this would have come live.
        assertEquals(0, hub.localSubscribers(README_CHANNEL), "the EventSource reconnected before the test published");
        awaitConsole(List.of("received hello id " + first, "received 3 bytes", "received missed id " + missed,
                "caught up 1 messages"));
        browser().executeScript("window.source.close();");
    }

    /** "Disconnect subscribers": the EventSource closes itself on the last event instead of reconnecting. */
    @Test
    void theDisconnectedEventSourceExampleStaysAway() throws Exception {
        browser().get(base.resolve("/q/any-page-of-the-server").toString());
        browser().executeScript("window.logged = [];"
                + "console.log = console.warn = (...words) => window.logged.push(words.join(' '));"
                + readmeBlock("js", "source.close();                              // otherwise"));
        awaitPeers(README_CHANNEL, 1);
        withKey().delete("/" + README_CHANNEL).then().statusCode(200);
        awaitConsole(List.of("closed by the server: disconnected by the backend"));
        // longer than the stream's retry (1 s), after which an EventSource left open would be back
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
                .until(() -> hub.localSubscribers(README_CHANNEL) == 0);
    }

    /** The WebSocket and the EventSource of "Several channels on one connection", as pasted, side by side. */
    @Test
    void theMultiplexedExamplesGetEveryChannelNamed() throws Exception {
        browser().get(base.resolve("/q/any-page-of-the-server").toString());
        browser().executeScript("window.logged = [];"
                + "console.log = console.warn = (...words) => window.logged.push(words.join(' '));"
                + "{" + readmeBlock("js", "const channels = [") + "window.ws = ws; }"
                + "{" + readmeBlock("js", "?channel=user%2F42&channel=news\")") + "window.source = source; }");
        for (String channel : List.of(README_CHANNEL, "user/42", "news")) {
            awaitPeers(channel, 2); // the WebSocket and the EventSource, once each
        }
        publish("in the room");
        withKey().body("for the user").post("/user/42").then().statusCode(201);
        withKey().body("headline").post("/news").then().statusCode(201);
        List<String> each = List.of("chat/room/1 received in the room", "user/42 received for the user",
                "news received headline");
        new WebDriverWait(browser(), Duration.ofSeconds(15)).until(driver -> {
            List<?> logged = (List<?>) browser().executeScript("return window.logged;");
            return logged.size() == 6 && each.stream().allMatch(line -> logged.stream().filter(line::equals).count() == 2);
        });
        browser().executeScript("window.ws.close(); window.source.close();");
        awaitPeers(README_CHANNEL, 0);
    }

    /** "Start with the last messages": the page opens with the newest ten, the caught-up line, then live ones. */
    @Test
    void theRewindExampleStartsWithTheLastTenMessages() throws Exception {
        for (int i = 1; i <= 12; i++) {
            publish("r" + i);
        }
        browser().get(base.resolve("/q/any-page-of-the-server").toString());
        browser().executeScript("window.logged = [];"
                + "console.log = console.warn = (...words) => window.logged.push(words.join(' '));"
                + "{" + readmeBlock("js", "?rewind=10\", \"wsc.v1.json\")") + "window.ws = ws; }");
        List<String> expected = new ArrayList<>();
        for (int i = 3; i <= 12; i++) {
            expected.add("received r" + i);
        }
        expected.add("the last 10 messages came first, the rest is live");
        awaitConsole(expected);
        publish("live");
        expected.add("received live");
        awaitConsole(expected);
        browser().executeScript("window.ws.close();");
        awaitPeers(README_CHANNEL, 0);
    }

    /** "Publish to several channels": the fetch, as pasted, logs each channel's recipients in the request's order. */
    @Test
    void thePublishToManyExampleLogsEachChannel() throws Exception {
        try (JsonSubscriber user = JsonSubscriber.connect(base, "/user/42")) {
            awaitPeers("user/42", 1); // no other test's subscriber of it is still counted
            browser().get(base.resolve("/q/any-page-of-the-server").toString());
            browser().executeScript("window.logged = [];"
                    + "console.log = console.warn = (...words) => window.logged.push(words.join(' '));"
                    + "(async () => {" + readmeBlock("js", "const query = channels.map((channel) => \"channel=\""
                            + " + encodeURIComponent(channel)).join(\"&\");\nconst response = await fetch") + "})();");
            new WebDriverWait(browser(), Duration.ofSeconds(15)).until(driver -> ((List<?>) browser()
                    .executeScript("return window.logged;")).size() == 4);
            List<?> logged = (List<?>) browser().executeScript("return window.logged;");
            assertEquals("user/42 reached 1", logged.get(1), logged.toString());
            for (int i = 0; i < 4; i++) {
                String channel = List.of(README_CHANNEL, "user/42", "user/43", "news").get(i);
                assertTrue(logged.get(i).toString().matches(Pattern.quote(channel) + " reached [0-9]+"), logged.toString());
            }
            assertEquals("Hello", user.next().getString("data"));
        }
    }

    /** The live page's URL of several channels, as the README gives it, shows each channel's messages, tagged. */
    @Test
    void theLivePageOfSeveralChannelsShowsEach() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String marker = "<http://" + README_ORIGIN + "/" + README_CHANNEL + "?channel=";
        int at = readme.indexOf(marker);
        assertTrue(at > 0, "README has no " + marker);
        String url = readme.substring(at + 1, readme.indexOf('>', at)).replace(README_ORIGIN,
                base.getHost() + ":" + base.getPort());
        browser().get(url);
        for (String channel : List.of(README_CHANNEL, "user/42", "news")) {
            awaitPeers(channel, 1);
        }
        publish("in the room");
        withKey().body("for the user").post("/user/42").then().statusCode(201);
        withKey().body("headline").post("/news").then().statusCode(201);
        new WebDriverWait(browser(), Duration.ofSeconds(15)).until(driver -> browser()
                .findElements(By.cssSelector("#messages li:not(.note)")).size() == 3);
        List<String> shown = browser().findElements(By.cssSelector("#messages li:not(.note)")).stream()
                .map(item -> item.findElement(By.cssSelector("code.channel")).getText() + " "
                        + item.findElement(By.cssSelector("span")).getText())
                .toList();
        assertEquals(List.of("chat/room/1 in the room", "user/42 for the user", "news headline"), shown);
        browser().get("about:blank");
        awaitPeers(README_CHANNEL, 0);
    }

    /** The README's first code block of this language that contains {@code marker}, pointed at this test server. */
    private String readmeBlock(String language, String marker) throws IOException {
        return readmeBlock(language, marker, base);
    }

    /** The README's first code block of this language that contains {@code marker}, pointed at the server at base. */
    static String readmeBlock(String language, String marker, URI base) throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int at = readme.indexOf(marker);
        assertTrue(at > 0, "README has no " + marker);
        int start = readme.lastIndexOf("```" + language + "\n", at) + language.length() + 4;
        int end = readme.indexOf("```", at);
        return readme.substring(start, end).replace(README_ORIGIN, base.getHost() + ":" + base.getPort());
    }

    private static void publish(String message) {
        withKey().body(message).post("/" + README_CHANNEL).then().statusCode(201);
    }

    private static void awaitLog(List<String> lines) {
        new WebDriverWait(browser(), Duration.ofSeconds(15)).until(driver -> lines.equals(log()));
    }

    @SuppressWarnings("unchecked")
    private static void awaitConsole(List<String> lines) {
        new WebDriverWait(browser(), Duration.ofSeconds(15))
                .until(driver -> lines.equals(browser().executeScript("return window.logged;")));
    }

    private static List<String> log() {
        String text = browser().findElement(By.id("log")).getText();
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private static ChromeDriver browser() {
        return CHROMIUM.browser();
    }
}
