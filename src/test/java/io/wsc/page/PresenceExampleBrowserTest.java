package io.wsc.page;

import static io.wsc.support.TestKey.withKey;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wsc.client.SubscriberToken;
import io.wsc.presence.PresenceProfile;
import io.wsc.support.HeadlessChromium;
import io.wsc.support.JsonSubscriber;

/** The README's presence example, as pasted, in Chromium: it sees a client join and leave, and still gets messages. */
@QuarkusTest
@TestProfile(PresenceProfile.class)
class PresenceExampleBrowserTest {

    private static final String CHANNEL = "chat/room/1";

    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium();

    @TestHTTPResource("/")
    URI base;

    @Test
    void theWatcherSeesAliceJoinAndLeave() throws Exception {
        ChromeDriver browser = CHROMIUM.browser();
        browser.get(base.resolve("/q/any-page-of-the-server").toString());
        String token = SubscriberToken.mint(PresenceProfile.SECRET, Duration.ofMinutes(5), CHANNEL);
        browser.executeScript("window.logged = [];"
                + "console.log = console.warn = (...words) => window.logged.push(words.join(' '));"
                + "{ const token = '" + token + "';"
                + ReadmeExamplesBrowserTest.readmeBlock("js", "?presence=events&token=", base) + " window.ws = ws; }");
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(driver -> ((Number) browser.executeScript(
                "return window.ws.readyState;")).intValue() == 1);
        String alice = SubscriberToken.mintFor(PresenceProfile.SECRET, Duration.ofMinutes(5), "alice",
                "{\"name\":\"Alice\"}", CHANNEL);
        try (JsonSubscriber tab = JsonSubscriber.connect(base, "/" + CHANNEL + "?token=" + alice)) {
            awaitConsole(browser, List.of("here: ", "here: alice"));
            withKey().body("Hello").post("/" + CHANNEL).then().statusCode(201);
            awaitConsole(browser, List.of("here: ", "here: alice", "received Hello"));
        }
        awaitConsole(browser, List.of("here: ", "here: alice", "received Hello", "here: "));
        browser.executeScript("window.ws.close();");
    }

    private static void awaitConsole(ChromeDriver browser, List<String> lines) {
        new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(driver -> lines.equals(browser.executeScript("return window.logged;")));
    }
}
