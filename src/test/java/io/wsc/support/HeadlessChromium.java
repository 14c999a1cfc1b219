package io.wsc.support;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, driven headless through its chromedriver (packages {@code chromium chromium-driver}). Selenium
 * is pointed at both binaries, so it never tries to download a browser or a driver.
 */
public final class HeadlessChromium {

    private HeadlessChromium() {
    }

    /** A new browser, or empty (the test skips) when chromium or chromedriver is not installed. */
    public static Optional<ChromeDriver> start() {
        Optional<String> chromium = SystemTool.find("chromium (Debian package chromium)",
                List.of("/usr/bin/chromium", "chromium"), "--version");
        Optional<String> driver = SystemTool.find("chromedriver (Debian package chromium-driver)",
                List.of("/usr/bin/chromedriver", "chromedriver"), "--version");
        if (chromium.isEmpty() || driver.isEmpty()) {
            return Optional.empty();
        }
        ChromeOptions options = new ChromeOptions().setBinary(chromium.get())
                // --no-sandbox: Chromium refuses to run as root (CI) with its sandbox on.
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--window-size=1000,700");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driver.get())).usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return Optional.of(browser);
    }
}
