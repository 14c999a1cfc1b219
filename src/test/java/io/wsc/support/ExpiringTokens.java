package io.wsc.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.wsc.client.SubscriberToken;

/** Tokens whose connections the server closes soon, without a test waiting out the clock skew it allows. */
public final class ExpiringTokens {

    /** What the server allows past a token's {@code exp} (SubscriberTokens). */
    public static final long GRACE_SECONDS = 10;

    private ExpiringTokens() {
    }

    /**
     * A token for {@code channel} whose connection must close {@code closesIn} from now: its {@code exp} passed
     * already, within the grace, so an upgrade still takes it.
     */
    public static String closingIn(String secret, Duration closesIn, String channel) {
        Instant exp = Instant.now().plus(closesIn).minusSeconds(GRACE_SECONDS);
        return SubscriberToken.mint(secret, exp.minusSeconds(60), exp, List.of(channel));
    }
}
