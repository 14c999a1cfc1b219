package io.wsc.client;

import static io.wsc.support.TestKey.KEY;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wsc.presence.PresenceProfile;
import io.wsc.support.JsonSubscriber;

/** The Java client's presence: tokens minted with sub and info, and the list read back, over real sockets. */
@QuarkusTest
@TestProfile(PresenceProfile.class)
class PresenceClientTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void tokensNameTheirClientAndPresenceListsIt() throws Exception {
        String channel = "client/" + UUID.randomUUID();
        WscClient wsc = WscClient.builder().baseUri(base).accessKey(KEY).build();
        String alice = SubscriberToken.mintFor(PresenceProfile.SECRET, Duration.ofMinutes(1), "alice",
                "{\"name\":\"Alice \\\"A\\\"\",\"admin\":true}", channel);
        String nobody = SubscriberToken.mint(PresenceProfile.SECRET, Duration.ofMinutes(1), channel);
        try (JsonSubscriber tab = JsonSubscriber.connect(base, "/" + channel + "?token=" + alice);
                JsonSubscriber otherTab = JsonSubscriber.connect(base, "/" + channel + "?token=" + alice);
                JsonSubscriber anonymous = JsonSubscriber.connect(base, "/" + channel + "?token=" + nobody)) {
            assertEquals(new ChannelPresence(channel, List.of(new ChannelPresence.Client("alice",
                    Map.of("name", "Alice \"A\"", "admin", true), 2)), false), wsc.presence(channel));
            assertEquals(wsc.presence(channel), wsc.presenceAsync(channel).get());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> wsc.presence(channel).clients().isEmpty());
    }

    @Test
    void infoMustBeAJsonObject() {
        assertThrows(IllegalArgumentException.class, () -> SubscriberToken.mintFor(PresenceProfile.SECRET,
                Duration.ofMinutes(1), "alice", "[1, 2]", "chat"));
    }
}
