package io.wsc.sse;

import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wsc.support.HeadlessChromium;
import io.wsc.support.TestCertificate;

/**
 * Headless Chromium opens more EventSources to one host over TLS than the six connections it allows a host over
 * HTTP/1.1: over HTTP/2 they are streams of one connection, and every one of them opens and receives. Over HTTP/1.1 the
 * seventh and later would wait, unopened, for a connection to free up.
 */
@QuarkusTest
@TestProfile(Http2TlsProfile.class)
class Http2EventStreamBrowserTest {

    /** The test certificate is trusted by its key's hash, so the page is a secure context like any real one. */
    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium(
            "--ignore-certificate-errors-spki-list=" + TestCertificate.spkiHash());

    private static final int STREAMS = 10;

    private static final String SUBSCRIBE = """
            window.received = [];
            window.opens = 0;
            for (const channel of arguments[0]) {
              const source = new EventSource("/" + channel);
              const got = [];
              window.received.push(got);
              source.onopen = () => { window.opens++; };
              source.onmessage = (event) => { got.push(event.data); };
            }
            """;

    @TestHTTPResource(value = "/", tls = true)
    URI tls;

    @Test
    void tenEventSourcesToOneHostAllOpenAndReceiveOverOneHttp2Connection() {
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            channels.add("h2-browser/" + i + "/" + UUID.randomUUID());
        }
        // A page of the server's own origin: the streams are then same-origin.
        browser().get(tls.resolve("/q/no-such-page").toString());
        assertEquals("h2", browser().executeScript(
                "return performance.getEntriesByType('navigation')[0].nextHopProtocol;"));
        browser().executeScript(SUBSCRIBE, channels);
        await().until(driver -> ((Number) browser().executeScript("return window.opens;")).intValue() == STREAMS);
        channels.forEach(channel -> awaitPeers(channel, 1));

        for (int round = 1; round <= 5; round++) {
            for (String channel : channels) {
                withKey().body(channel + " " + round).post("/" + channel).then().statusCode(201);
            }
        }
        await().until(driver -> received().stream().allMatch(got -> got.size() == 5));
        for (int i = 0; i < STREAMS; i++) {
            List<String> expected = new ArrayList<>();
            for (int round = 1; round <= 5; round++) {
                expected.add(channels.get(i) + " " + round);
            }
            assertEquals(expected, received().get(i), "stream " + i);
        }
        browser().get("about:blank"); // closes the streams
        channels.forEach(channel -> awaitPeers(channel, 0));
    }

    @SuppressWarnings("unchecked")
    private List<List<String>> received() {
        return (List<List<String>>) browser().executeScript("return window.received;");
    }

    private WebDriverWait await() {
        return new WebDriverWait(browser(), Duration.ofSeconds(15));
    }

    private static ChromeDriver browser() {
        return CHROMIUM.browser();
    }
}
