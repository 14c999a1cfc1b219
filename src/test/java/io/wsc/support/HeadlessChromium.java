package io.wsc.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, driven headless through its chromedriver (packages {@code chromium chromium-driver}), one per test
 * class: {@code @RegisterExtension static final HeadlessChromium CHROMIUM = new HeadlessChromium();}. Selenium is
 * pointed at both binaries, so it never tries to download a browser or a driver.
 */
public final class HeadlessChromium implements BeforeAllCallback, AfterAllCallback {

    private final List<String> extraArguments;
    private ChromeDriver browser;

    /** @param extraArguments more command-line switches for this class's browser */
    public HeadlessChromium(String... extraArguments) {
        this.extraArguments = List.of(extraArguments);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        browser = start(extraArguments).orElse(null);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.quit();
        }
    }

    /** The browser; the calling test is skipped when chromium or chromedriver is not installed. */
    public ChromeDriver browser() {
        assumeTrue(browser != null, "no browser");
        return browser;
    }

    private static Optional<ChromeDriver> start(List<String> extraArguments) {
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
                        "--disable-background-networking", "--window-size=1000,700")
                .addArguments(extraArguments);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driver.get())).usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return Optional.of(browser);
    }
}
