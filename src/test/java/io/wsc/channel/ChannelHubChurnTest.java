package io.wsc.channel;

import static io.wsc.support.TestKey.withKey;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wsc.support.TestSubscriber;

/** Subscribers that come and go leave nothing behind in the hub: anonymous subscribers cannot grow its memory. */
@QuarkusTest
class ChannelHubChurnTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    ChannelHub hub;

    @Test
    void channelsOnlySubscribedToAreForgottenWhenTheirLastSubscriberLeaves() throws Exception {
        int before = hub.channelCount();
        String prefix = "churn/" + UUID.randomUUID() + "/";
        for (int round = 0; round < 3; round++) {
            List<CompletableFuture<TestSubscriber>> connecting = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                connecting.add(TestSubscriber.connectAsync(base, "/" + prefix + i));
            }
            for (CompletableFuture<TestSubscriber> subscriber : connecting) {
                subscriber.get().close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.channelCount() == before);

        String published = prefix + "published";
        withKey().body("x").post("/" + published).then().statusCode(201);
        assertEquals(before + 1, hub.channelCount(), "a channel that was published to keeps its stats");
    }
}
