package io.wsc.sse;

import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.Subscriber;
import io.wsc.support.HeadlessChromium;

/**
 * A browser's own {@code EventSource}, in headless Chromium: the server cuts its stream, messages are published while it
 * is away, and it reconnects by itself (sending {@code Last-Event-ID}) and gets every message exactly once, in order.
 */
@QuarkusTest
@TestProfile(EventStreamProfile.class)
class EventStreamBrowserTest {

    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium();

    /** The README's example, collecting what it shows; the gap listener records any lost range. */
    private static final String SUBSCRIBE = """
            window.received = [];
            window.opens = 0;
            const source = new EventSource("/" + arguments[0]);
            source.onopen = () => { window.opens++; };
            source.onmessage = (event) => { window.received.push(event.lastEventId + ":" + event.data); };
            source.addEventListener("gap", (event) => { window.received.push("gap:" + event.data); });
            window.source = source;
            """;

    @TestHTTPResource("/")
    URI base;

    @Inject
    ChannelHub hub;

    @Test
    void reconnectsByItselfAfterTheConnectionIsCutAndMissesNothing() throws Exception {
        reconnectsWithoutLoss(subscriber -> subscriber.closeNow());
    }

    @Test
    void reconnectsByItselfAfterTheServerEndsTheStream() throws Exception {
        reconnectsWithoutLoss(Subscriber::closeGracefully);
    }

    private void reconnectsWithoutLoss(Consumer<Subscriber> cut) throws InterruptedException {
        String channel = "sse-browser/" + UUID.randomUUID();
        // Any page of the server's origin will do: the stream is then same-origin.
        browser().get(base.resolve("/q/no-such-page").toString());
        browser().executeScript(SUBSCRIBE, channel);
        await().until(driver -> opens() == 1);
        awaitPeers(channel, 1);
        List<String> expected = new ArrayList<>();
        publish(channel, 1, 10, expected);
        await().until(driver -> received().size() == 10);

        hub.subscribers().stream().filter(s -> s.channelId().equals(channel)).forEach(cut);
        awaitPeers(channel, 0);
        publish(channel, 11, 40, expected); // well within the 2 s the server told the browser to wait
        assertEquals(1, opens(), "published while the EventSource was away");

        await().until(driver -> opens() == 2);
        awaitPeers(channel, 1);
        publish(channel, 41, 50, expected);
        await().until(driver -> received().size() >= 50);
        Thread.sleep(300); // room for a duplicate to show
        assertEquals(expected, received());
        browser().executeScript("window.source.close();");
        awaitPeers(channel, 0);
    }

    /** A stream of two channels, rewinding: each message as "channel data", each signal as "channel type". */
    private static final String SUBSCRIBE_SEVERAL = """
            window.received = [];
            window.opens = 0;
            const source = new EventSource("/" + arguments[0] + "?channel=" + encodeURIComponent(arguments[1])
                + "&rewind=10");
            source.onopen = () => { window.opens++; };
            source.onmessage = (event) => {
              const frame = JSON.parse(event.data);
              window.received.push(frame.channel + " " + (frame.type || frame.data));
            };
            window.source = source;
            """;

    /**
     * A multiplexed stream's messages carry its place in every channel as their id, so the browser's own reconnect
     * resumes both channels, and does not rewind again.
     */
    @Test
    void aStreamOfSeveralChannelsReconnectsByItselfAndMissesNothingInEither() throws Exception {
        String room = "sse-browser/" + UUID.randomUUID();
        String user = "sse-browser/" + UUID.randomUUID();
        withKey().body("r1").post("/" + room).then().statusCode(201);
        browser().get(base.resolve("/q/no-such-page").toString());
        browser().executeScript(SUBSCRIBE_SEVERAL, room, user);
        await().until(driver -> opens() == 1 && received().contains(user + " caught_up"));
        withKey().body("r2").post("/" + room).then().statusCode(201);
        withKey().body("u1").post("/" + user).then().statusCode(201);
        await().until(driver -> received().contains(user + " u1") && received().contains(room + " r2"));

        hub.subscribers().stream().filter(s -> s.channelId().equals(room)).forEach(Subscriber::closeNow);
        awaitPeers(room, 0);
        awaitPeers(user, 0);
        withKey().body("r3").post("/" + room).then().statusCode(201);
        withKey().body("u2").post("/" + user).then().statusCode(201);
        assertEquals(1, opens(), "published while the EventSource was away");

        await().until(driver -> opens() == 2);
        awaitPeers(user, 1);
        withKey().body("r4").post("/" + room).then().statusCode(201);
        withKey().body("u3").post("/" + user).then().statusCode(201);
        await().until(driver -> received().contains(user + " u3") && received().contains(room + " r4"));
        Thread.sleep(300); // room for a duplicate to show
        List<String> messages = received().stream().filter(m -> !m.endsWith(" caught_up")).toList();
        assertEquals(List.of(room + " r1", room + " r2", room + " r3", room + " r4"),
                messages.stream().filter(m -> m.startsWith(room + " ")).toList());
        assertEquals(List.of(user + " u1", user + " u2", user + " u3"),
                messages.stream().filter(m -> m.startsWith(user + " ")).toList());
        browser().executeScript("window.source.close();");
        awaitPeers(room, 0);
    }

    /** Publishes m{from}..m{to} and expects each with the id its receipt gave. */
    private static void publish(String channel, int from, int to, List<String> expected) {
        for (int i = from; i <= to; i++) {
            String id = withKey().body("m" + i).post("/" + channel).then().statusCode(201).extract().path("message_id");
            expected.add(id + ":m" + i);
        }
    }

    private static long opens() {
        return (Long) browser().executeScript("return window.opens;");
    }

    @SuppressWarnings("unchecked")
    private static List<String> received() {
        return (List<String>) browser().executeScript("return window.received;");
    }

    private static ChromeDriver browser() {
        return CHROMIUM.browser();
    }

    private static WebDriverWait await() {
        return new WebDriverWait(browser(), Duration.ofSeconds(15));
    }
}
