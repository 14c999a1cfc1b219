package io.wsc.page;

import static io.wsc.support.TestKey.awaitPeers;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wsc.client.SubscriberToken;
import io.wsc.presence.PresenceProfile;
import io.wsc.support.HeadlessChromium;
import io.wsc.support.JsonSubscriber;

/** The live page with ?presence=events shows who is on each of its channels: who was there first, then joins and leaves. */
@QuarkusTest
@TestProfile(PresenceProfile.class)
class LivePagePresenceBrowserTest {

    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium();

    @TestHTTPResource("/")
    URI base;

    @Test
    void showsWhoIsOnEachChannel() throws Exception {
        String room = "present/room/" + UUID.randomUUID();
        String news = "present/news/" + UUID.randomUUID();
        try (JsonSubscriber alice = tab(room, "alice")) {
            String token = SubscriberToken.mint(PresenceProfile.SECRET, Duration.ofMinutes(5), room, news);
            browser().get(base.resolve("/" + room + "?channel=" + URLEncoder.encode(news, StandardCharsets.UTF_8)
                    + "&presence=events&token=" + token).toString());
            LivePage.await(browser()).until(ExpectedConditions.attributeToBe(By.id("state"), "data-state", "live"));
            awaitPresent(room + ": alice here\n" + news + ": nobody here");
            try (JsonSubscriber bob = tab(news, "bob")) {
                awaitPresent(room + ": alice here\n" + news + ": bob here");
            }
            awaitPresent(room + ": alice here\n" + news + ": nobody here");
        }
        awaitPresent(room + ": nobody here\n" + news + ": nobody here");
        browser().get("about:blank");
        awaitPeers(room, 0); // leaving closes it, even with the page kept in the back-forward cache
        browser().navigate().back();
        LivePage.await(browser()).until(ExpectedConditions.attributeToBe(By.id("state"), "data-state", "live"));
        awaitPeers(room, 1);
        browser().get("about:blank");
        awaitPeers(room, 0);
    }

    private JsonSubscriber tab(String channel, String sub) throws Exception {
        return JsonSubscriber.connect(base, "/" + channel + "?token="
                + SubscriberToken.mintFor(PresenceProfile.SECRET, Duration.ofMinutes(5), sub, null, channel));
    }

    private static void awaitPresent(String text) {
        LivePage.await(browser()).until(ExpectedConditions.textToBe(By.id("present"), text));
    }

    private static ChromeDriver browser() {
        return CHROMIUM.browser();
    }
}
