package io.wsc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wsc.client.WscClient;
import io.wsc.support.TestKey;
import io.wsc.support.TestSubscriber;

/**
 * Publishers on several connections (so on several event loops) publish to one channel at once. Subscribers sit on
 * every event loop; each must get every message, all of them in one and the same order, and each publisher's messages
 * in the order it sent them.
 */
@QuarkusTest
class ConcurrentPublishOrderTest {

    private static final int PUBLISHERS = 4;
    private static final int MESSAGES = 100;
    private static final int SUBSCRIBERS = 24;

    @TestHTTPResource("/")
    URI base;

    @Test
    void everySubscriberSeesTheChannelInTheSameOrder() throws Exception {
        String channel = "order/" + UUID.randomUUID();
        List<TestSubscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            subscribers.add(TestSubscriber.connect(base, "/" + channel));
        }
        ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS);
        try {
            List<Future<?>> publishing = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                int publisher = p;
                publishing.add(pool.submit(() -> publish(channel, publisher)));
            }
            for (Future<?> f : publishing) {
                f.get();
            }
            List<Object> first = receiveAll(subscribers.get(0));
            assertPublisherOrder(first);
            for (TestSubscriber subscriber : subscribers.subList(1, SUBSCRIBERS)) {
                assertEquals(first, receiveAll(subscriber), "every subscriber gets the channel in the same order");
            }
        } finally {
            pool.shutdownNow();
            subscribers.forEach(TestSubscriber::close);
        }
    }

    /** One publisher, with its own client (own connection), sends its messages one after another. */
    private Void publish(String channel, int publisher) throws Exception {
        WscClient client = WscClient.create(TestKey.KEY, base.getHost(), base.getPort());
        for (int m = 0; m < MESSAGES; m++) {
            assertEquals(SUBSCRIBERS, client.send(channel, publisher + ":" + m).recipients());
        }
        return null;
    }

    private static List<Object> receiveAll(TestSubscriber subscriber) throws InterruptedException {
        List<Object> all = new ArrayList<>();
        for (int i = 0; i < PUBLISHERS * MESSAGES; i++) {
            all.add(subscriber.next());
        }
        return all;
    }

    private static void assertPublisherOrder(List<Object> received) {
        int[] next = new int[PUBLISHERS];
        for (Object message : received) {
            String[] parts = message.toString().split(":");
            int publisher = Integer.parseInt(parts[0]);
            assertEquals(String.valueOf(next[publisher]), parts[1],
                    "publisher " + publisher + "'s messages arrive in the order it sent them");
            next[publisher]++;
        }
    }
}
