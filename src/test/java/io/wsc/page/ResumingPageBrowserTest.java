package io.wsc.page;

import static io.wsc.support.TestKey.awaitPeers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.Subscriber;
import io.wsc.support.HeadlessChromium;

/**
 * With history on, the live page resumes after a drop: what was published meanwhile shows once, with a note; on a page
 * of several channels, each channel resumes after its own last message.
 */
@QuarkusTest
@TestProfile(ResumingPageBrowserTest.SmallHistory.class)
class ResumingPageBrowserTest {

    /** A ring small enough that a few publishes while the page is away overflow it. */
    public static class SmallHistory implements QuarkusTestProfile {

        static final int SIZE = 5;

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wsc.history.size", String.valueOf(SIZE));
        }
    }

    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium();

    @TestHTTPResource("/")
    URI base;

    @Inject
    ChannelHub hub;

    @Test
    void catchesUpOnWhatWasPublishedWhileDisconnected() {
        String channel = LivePage.open(browser(), base, "resume");
        LivePage.publish(channel, "m1");
        LivePage.publish(channel, "m2");
        LivePage.awaitMessages(browser(), 2);
        dropPage(channel);
        for (int i = 3; i <= 6; i++) {
            LivePage.publish(channel, "m" + i);
        }
        // The page waits at least 375 ms before reconnecting; had it been back already, m3..m6 would have come live.
        assertEquals(0, hub.localSubscribers(channel), "the page reconnected before the test published");
        LivePage.await(browser()).until(ExpectedConditions.textToBe(By.cssSelector("#messages li.note"), "caught up 4 messages"));
        awaitPeers(channel, 1);
        LivePage.publish(channel, "m7");
        List<String> shown = LivePage.awaitMessages(browser(), 7).stream().map(WebElement::getText).toList();
        assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7"), shown);
        assertEquals("7 messages", browser().findElement(By.id("count")).getText());
        List<String> timeline = browser().findElements(By.cssSelector("#messages li")).stream()
                .map(item -> item.getAttribute("class").contains("note") ? "note" : "message").toList();
        assertEquals(List.of("message", "message", "message", "message", "message", "message", "note", "message"),
                timeline, "the note sits between the caught-up messages and the live ones");
    }

    @Test
    void saysHowManyMessagesWereLostWhenTheHistoryNoLongerHasThem() {
        String channel = LivePage.open(browser(), base, "resume");
        LivePage.publish(channel, "seen");
        LivePage.awaitMessages(browser(), 1);
        dropPage(channel);
        for (int i = 1; i <= SmallHistory.SIZE + 2; i++) { // the ring keeps SIZE: the first 2 are gone
            LivePage.publish(channel, "missed " + i);
        }
        assertEquals(0, hub.localSubscribers(channel), "the page reconnected before the test published");
        LivePage.await(browser()).until(ExpectedConditions.textToBe(By.cssSelector("#messages li.note.lost"),
                "2 messages lost while disconnected"));
        LivePage.await(browser()).until(ExpectedConditions.textToBe(By.cssSelector("#messages li.note:not(.lost)"),
                "caught up " + SmallHistory.SIZE + " messages"));
        List<WebElement> shown = LivePage.awaitMessages(browser(), 1 + SmallHistory.SIZE);
        assertEquals("missed 3", shown.get(1).getText());
    }

    @Test
    void showsSeveralChannelsAndResumesEachOfThem() {
        String room = "resume/room/" + UUID.randomUUID();
        String user = "resume/user/" + UUID.randomUUID();
        browser().get(base.resolve("/" + room + "?channel=" + URLEncoder.encode(user, StandardCharsets.UTF_8))
                .toString());
        LivePage.await(browser()).until(ExpectedConditions.attributeToBe(By.id("state"), "data-state", "live"));
        awaitPeers(room, 1);
        awaitPeers(user, 1);
        assertEquals(room + " + " + user, browser().findElement(By.id("channel")).getText());
        LivePage.publish(room, "r1");
        LivePage.publish(user, "u1");
        LivePage.awaitMessages(browser(), 2);
        dropPage(room);
        LivePage.publish(user, "u2");
        LivePage.publish(room, "r2");
        LivePage.publish(user, "u3");
        assertEquals(0, hub.localSubscribers(room), "the page reconnected before the test published");
        LivePage.await(browser()).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#messages li.note"),
                2));
        awaitPeers(user, 1);
        LivePage.publish(room, "r3");
        List<String> shown = LivePage.awaitMessages(browser(), 6).stream().map(WebElement::getText).toList();
        List<String> tags = browser().findElements(By.cssSelector("#messages li:not(.note) code.channel")).stream()
                .map(WebElement::getText).toList();
        // each channel resumed after its own last id: nothing repeated, nothing missing, in each channel's order
        assertEquals(List.of("r1", "u1"), shown.subList(0, 2));
        assertEquals(List.of("r2", "r3"), shown.stream().filter(text -> text.startsWith("r") && !text.equals("r1"))
                .toList());
        assertEquals(List.of("u2", "u3"), shown.stream().filter(text -> text.startsWith("u") && !text.equals("u1"))
                .toList());
        assertEquals("r3", shown.get(5));
        for (int i = 0; i < shown.size(); i++) {
            assertEquals(shown.get(i).startsWith("r") ? room : user, tags.get(i), "the channel of " + shown.get(i));
        }
        List<String> notes = browser().findElements(By.cssSelector("#messages li.note")).stream()
                .map(WebElement::getText).sorted().toList();
        assertEquals(List.of(room + ": caught up 1 message", user + ": caught up 2 messages"), notes);
    }

    /** Closes the page's connection from the server side and waits until the page noticed. */
    private void dropPage(String channel) {
        hub.subscribers().stream().filter(s -> s.channelId().equals(channel)).forEach(Subscriber::closeNow);
        LivePage.await(browser()).until(ExpectedConditions.attributeToBe(By.id("state"), "data-state", "reconnecting"));
    }

    private static ChromeDriver browser() {
        return CHROMIUM.browser();
    }
}
