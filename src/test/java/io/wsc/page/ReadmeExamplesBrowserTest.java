package io.wsc.page;

import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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

    /** The README's first code block of this language that contains {@code marker}, pointed at this test server. */
    private String readmeBlock(String language, String marker) throws IOException {
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

    private static List<String> log() {
        String text = browser().findElement(By.id("log")).getText();
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private static ChromeDriver browser() {
        return CHROMIUM.browser();
    }
}
