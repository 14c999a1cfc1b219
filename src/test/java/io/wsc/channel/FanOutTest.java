package io.wsc.channel;

import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wsc.support.RawWebSocket;
import io.wsc.support.TestSubscriber;

/** Fan-out at scale and with a subscriber that stops reading, over real sockets. */
@QuarkusTest
class FanOutTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void thousandSubscribersReceiveHundredMessagesEachInOrder() throws Exception {
        String channel = "fanout/" + UUID.randomUUID();
        List<CompletableFuture<TestSubscriber>> connecting = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            connecting.add(TestSubscriber.connectAsync(base, "/" + channel));
        }
        List<TestSubscriber> subscribers = new ArrayList<>();
        for (CompletableFuture<TestSubscriber> c : connecting) {
            subscribers.add(c.get());
        }
        try {
            for (int m = 0; m < 100; m++) {
                withKey().body("message " + m).post("/" + channel)
                        .then().statusCode(201).body("recipients", equalTo(1000));
            }
            for (TestSubscriber subscriber : subscribers) {
                for (int m = 0; m < 100; m++) {
                    assertEquals("message " + m, subscriber.next());
                }
            }
            withKey().get("/" + channel).then()
                    .body("stat.sent_messages", equalTo(100))
                    .body("stat.sent_bytes", equalTo(1000 * (10 * 9 + 90 * 10)));
        } finally {
            subscribers.forEach(TestSubscriber::close);
        }
    }

    @Test
    void subscriberThatNeverReadsIsDisconnectedWithoutHoldingUpOthers() throws IOException, InterruptedException {
        String channel = "slow/" + UUID.randomUUID();
        String body = "s".repeat(64 * 1024);
        int messages = 300; // 19 MiB: far past the 4 MiB allowance plus what the kernel buffers on loopback
        try (TestSubscriber fast = TestSubscriber.connect(base, "/" + channel);
                RawWebSocket stalled = RawWebSocket.upgrade(base, "/" + channel, 4096)) {
            assertEquals(101, stalled.status());
            awaitPeers(channel, 2);
            int lastRecipients = 0;
            for (int m = 0; m < messages; m++) {
                lastRecipients = withKey().body(body).post("/" + channel)
                        .then().statusCode(201).extract().path("recipients");
                assertTrue(body.equals(fast.next()), "the reading subscriber gets every message as it is published");
            }
            assertEquals(1, lastRecipients, "the stalled subscriber is no longer sent to");
            awaitPeers(channel, 1);
            assertTrue(stalled.drainsToEndOfStream(64L * 1024 * 1024), "the server closed the stalled connection");
        }
    }

}
