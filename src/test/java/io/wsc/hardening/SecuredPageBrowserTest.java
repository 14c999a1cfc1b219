package io.wsc.hardening;

import static io.wsc.hardening.SecuredProfile.SECRET;
import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wsc.client.SubscriberToken;
import io.wsc.support.HeadlessChromium;

/**
 * The live channel page on a server that requires subscriber tokens and lists allowed origins: the token in the page
 * URL reaches the WebSocket, and the page's own origin (this server) is allowed without being listed.
 */
@QuarkusTest
@TestProfile(SecuredProfile.class)
class SecuredPageBrowserTest {

    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium();

    @TestHTTPResource("/")
    URI base;

    @Test
    void thePageSubscribesWithTheTokenFromItsUrl() {
        ChromeDriver browser = CHROMIUM.browser();
        String channel = "secured/page-" + UUID.randomUUID();
        String token = SubscriberToken.mint(SECRET, Duration.ofMinutes(1), channel);
        browser.get(base.resolve("/" + channel + "?token=" + token).toString());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.until(ExpectedConditions.attributeToBe(By.id("state"), "data-state", "live"));
        awaitPeers(channel, 1);
        withKey().body("for the token holder").post("/" + channel).then().statusCode(201);
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#messages li"), 1));
        assertEquals("for the token holder", browser.findElement(By.cssSelector("#messages li .text")).getText());
    }
}
