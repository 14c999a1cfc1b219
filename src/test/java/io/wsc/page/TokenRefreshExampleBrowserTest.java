package io.wsc.page;

import static io.wsc.hardening.SecuredProfile.SECRET;
import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wsc.client.SubscriberToken;
import io.wsc.hardening.SecuredProfile;
import io.wsc.support.ExpiringTokens;
import io.wsc.support.HeadlessChromium;

/**
 * "When a token expires": the README's WebSocket and EventSource code, as pasted, fetch a fresh token when the server
 * closes them for an expired one, and go on receiving. The backend's {@code /push-token} is a stub of {@code fetch}
 * that answers a token about to expire, then one that lasts.
 */
@QuarkusTest
@TestProfile(SecuredProfile.class)
class TokenRefreshExampleBrowserTest {

    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium();

    @TestHTTPResource("/")
    URI base;

    @Test
    void theWebSocketReconnectsWithAFreshToken() throws Exception {
        runsOnAFreshToken("async function subscribe(channel, onMessage)", "subscribe");
    }

    @Test
    void theEventSourceReconnectsWithAFreshToken() throws Exception {
        runsOnAFreshToken("async function stream(channel, onMessage)", "stream");
    }

    private void runsOnAFreshToken(String marker, String function) throws Exception {
        String channel = "secured/" + UUID.randomUUID();
        browser().get(base.resolve("/q/any-page-of-the-server").toString());
        browser().executeScript("window.logged = []; window.tokens = [arguments[0], arguments[1]];"
                + "console.log = (...words) => window.logged.push(words.join(' '));"
                + "window.fetch = async (url) => ({ text: async () => window.tokens.shift() });"
                + ReadmeExamplesBrowserTest.readmeBlock("js", marker, base)
                + function + "(arguments[2], (data) => console.log('received', data));",
                ExpiringTokens.closingIn(SECRET, Duration.ofSeconds(2), channel),
                SubscriberToken.mint(SECRET, Duration.ofMinutes(5), channel), channel);
        awaitPeers(channel, 1);
        withKey().body("with the first token").post("/" + channel).then().statusCode(201);
        awaitLogged(List.of("received with the first token"));
        new WebDriverWait(browser(), Duration.ofSeconds(20))
                .until(driver -> ((Number) browser().executeScript("return window.tokens.length;")).intValue() == 0);
        awaitPeers(channel, 1);
        withKey().body("with the fresh one").post("/" + channel).then().statusCode(201);
        awaitLogged(List.of("received with the first token", "received with the fresh one"));
        browser().get("about:blank");
        awaitPeers(channel, 0);
    }

    private static void awaitLogged(List<String> lines) {
        new WebDriverWait(browser(), Duration.ofSeconds(15))
                .until(driver -> lines.equals(browser().executeScript("return window.logged;")));
    }

    private static ChromeDriver browser() {
        return CHROMIUM.browser();
    }
}
