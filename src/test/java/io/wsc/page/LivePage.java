package io.wsc.page;

import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The live channel page as the browser tests drive it. */
final class LivePage {

    private LivePage() {
    }

    /** Opens the page of a new channel named {@code prefix/<uuid>} and waits until it is subscribed. */
    static String open(ChromeDriver browser, URI base, String prefix) {
        String channel = prefix + "/" + UUID.randomUUID();
        browser.get(base.resolve("/" + channel).toString());
        await(browser).until(ExpectedConditions.attributeToBe(By.id("state"), "data-state", "live"));
        awaitPeers(channel, 1);
        return channel;
    }

    static void publish(String channel, String message) {
        withKey().body(message).post("/" + channel).then().statusCode(201);
    }

    /** Waits until the page shows {@code count} messages (notes between them aside); their bodies. */
    static List<WebElement> awaitMessages(ChromeDriver browser, int count) {
        await(browser).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#messages li:not(.note)"), count));
        return browser.findElements(By.cssSelector("#messages li:not(.note) span"));
    }

    static WebDriverWait await(ChromeDriver browser) {
        return new WebDriverWait(browser, Duration.ofSeconds(15));
    }
}
