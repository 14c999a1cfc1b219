package io.wsc.page;

import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.Subscriber;
import io.wsc.support.HeadlessChromium;

/** The live channel page and the seed's own browser JavaScript, in a real headless Chromium. */
@QuarkusTest
class LiveChannelBrowserTest {

    private static final String HOSTILE = "<img src=x onerror=alert(1)>";

    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium();

    @TestHTTPResource("/")
    URI base;

    @Inject
    ChannelHub hub;

    @Test
    void showsMessagesInOrderAndHostileTextAsText() throws Exception {
        String channel = LivePage.open(browser(), base, "page");
        LivePage.publish(channel, "first message");
        LivePage.publish(channel, HOSTILE);
        List<WebElement> shown = LivePage.awaitMessages(browser(), 2);
        assertEquals("first message", shown.get(0).getText());
        assertEquals(HOSTILE, shown.get(1).getText());
        assertEquals(List.of(), browser().findElements(By.tagName("img")), "the message must not become an element");
        assertThrows(NoAlertPresentException.class, () -> browser().switchTo().alert());
        assertEquals("2 messages", browser().findElement(By.id("count")).getText());
        Path screenshot = Path.of("target", "live-channel-page.png");
        Files.copy(browser().getScreenshotAs(OutputType.FILE).toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void reconnectsAfterTheConnectionDropsAndGoesOnShowingMessages() {
        String channel = LivePage.open(browser(), base, "page");
        LivePage.publish(channel, "before the drop");
        LivePage.awaitMessages(browser(), 1);
        hub.subscribers().stream().filter(s -> s.channelId().equals(channel)).forEach(Subscriber::closeNow);
        LivePage.await(browser()).until(ExpectedConditions.attributeToBe(By.id("state"), "data-state", "reconnecting"));
        LivePage.await(browser()).until(ExpectedConditions.attributeToBe(By.id("state"), "data-state", "live"));
        awaitPeers(channel, 1);
        LivePage.publish(channel, "after the drop");
        assertEquals("after the drop", LivePage.awaitMessages(browser(), 2).get(1).getText());
    }

    /** Reconnecting would only be closed again: the page says why and stays closed. */
    @Test
    void staysClosedWhenTheBackendDisconnectsIt() {
        String channel = LivePage.open(browser(), base, "page");
        awaitPeers(channel, 1);
        withKey().delete("/" + channel).then().statusCode(200);
        LivePage.await(browser()).until(ExpectedConditions.attributeToBe(By.id("state"), "data-state", "closed"));
        assertEquals("disconnected by the backend", browser().findElement(By.id("state")).getText());
        // longer than the page's first retry (500 ms, jittered up to 625 ms)
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> hub.localSubscribers(channel) == 0);
    }

    @Test
    void binaryMessagesAreShownBySize() {
        String channel = LivePage.open(browser(), base, "page");
        withKey().contentType("application/octet-stream").body(new byte[] { 0, 1, 2 }).post("/" + channel)
                .then().statusCode(201);
        assertEquals("binary, 3 bytes", LivePage.awaitMessages(browser(), 1).get(0).getText());
    }

    /** The seed's test page, opened from disk as the original's test.html is: its JavaScript unchanged. */
    @Test
    void theSeedsJavaScriptWorksUnchanged(@TempDir Path dir) throws Exception {
        String channel = "chat/room/" + UUID.randomUUID();
        Path page = Files.writeString(dir.resolve("test.html"), "<!DOCTYPE html><script>\n"
                + "var received = [];\n"
                + "var ws = new WebSocket('ws://127.0.0.1:" + base.getPort() + "/" + channel + "');\n"
                + "ws.onmessage = function (msg) { received.push(msg.data); };\n"
                + "</script>\n");
        browser().get(page.toUri().toString());
        awaitPeers(channel, 1);
        LivePage.publish(channel, "hello from the seed");
        LivePage.await(browser()).until(driver -> ((List<?>) browser().executeScript("return received;")).size() == 1);
        assertEquals(List.of("hello from the seed"), browser().executeScript("return received;"));
        browser().executeScript("ws.close();");
    }

    /** The class's browser; a test is skipped when Chromium is not installed. */
    private static ChromeDriver browser() {
        return CHROMIUM.browser();
    }
}
