package io.wsc.page;

import static io.wsc.support.TestKey.awaitPeers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.Map;

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

/** With history on, the live page resumes after a drop: what was published meanwhile shows once, with a note. */
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

    /** Closes the page's connection from the server side and waits until the page noticed. */
    private void dropPage(String channel) {
        hub.subscribers().stream().filter(s -> s.channelId().equals(channel)).forEach(Subscriber::closeNow);
        LivePage.await(browser()).until(ExpectedConditions.attributeToBe(By.id("state"), "data-state", "reconnecting"));
    }

    private static ChromeDriver browser() {
        return CHROMIUM.browser();
    }
}
