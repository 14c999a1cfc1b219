package io.wsc.ws;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.wsc.channel.ChannelId;
import io.wsc.config.WscConfig;

/**
 * Optional subscriber tokens: a JWT (HS256 with {@code wsc.subscribe.jwt-secret}, or RS256/ES256/... with the key at
 * {@code wsc.subscribe.jwt-public-key-location}) whose {@code channels} claim lists the channels it may subscribe to,
 * each an exact name or a prefix ending in {@code *}. SmallRye JWT checks signature and expiry.
 */
@ApplicationScoped
public class SubscriberTokens {

    /** The claim that lists a token's channels. */
    public static final String CHANNELS_CLAIM = "channels";
    /** Clock skew allowed between whoever mints tokens and this server. */
    private static final int EXPIRY_GRACE_SECONDS = 10;

    private static final Logger LOG = Logger.getLogger(SubscriberTokens.class);

    enum Verdict {
        ALLOWED, INVALID, OTHER_CHANNEL
    }

    private final JWTParser parser = new DefaultJWTParser();
    private final Optional<JWTAuthContextInfo> verification;

    SubscriberTokens(WscConfig config) {
        this.verification = verification(config.subscribe());
    }

    /** True when subscribers need a token. */
    boolean required() {
        return verification.isPresent();
    }

    /** Whether the token is valid and covers every one of {@code channelIds} (one connection's channels). */
    Verdict check(String token, List<String> channelIds) {
        if (token == null || token.isEmpty()) {
            LOG.debug("Refused a subscriber without a token");
            return Verdict.INVALID;
        }
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token, verification.orElseThrow());
        } catch (ParseException e) {
            LOG.debugf(e, "Refused a subscriber token: %s", e.getMessage());
            return Verdict.INVALID;
        }
        List<String> patterns = channels(jwt);
        for (String channelId : channelIds) {
            if (patterns.stream().noneMatch(pattern -> matches(pattern, channelId))) {
                return Verdict.OTHER_CHANNEL;
            }
        }
        return Verdict.ALLOWED;
    }

    /** {@code chat/*} covers {@code chat/room/1}; {@code *} covers every channel; anything else must be exact. */
    static boolean matches(String pattern, String channelId) {
        if (pattern.endsWith("*")) {
            return channelId.startsWith(pattern.substring(0, pattern.length() - 1).toLowerCase(Locale.ROOT));
        }
        try {
            return ChannelId.normalise(pattern).equals(channelId);
        } catch (RuntimeException e) {
            return false; // a pattern that names no valid channel covers none
        }
    }

    private static List<String> channels(JsonWebToken jwt) {
        Object claim = jwt.getClaim(CHANNELS_CLAIM);
        List<String> channels = new ArrayList<>();
        if (claim instanceof JsonArray array) {
            array.forEach(value -> {
                if (value instanceof JsonString text) {
                    channels.add(text.getString());
                }
            });
        } else if (claim instanceof Collection<?> values) {
            values.forEach(value -> channels.add(String.valueOf(value)));
        } else if (claim instanceof JsonString text) {
            channels.add(text.getString());
        } else if (claim instanceof String text) {
            channels.add(text);
        }
        return channels;
    }

    private static Optional<JWTAuthContextInfo> verification(WscConfig.Subscribe subscribe) {
        JWTAuthContextInfo info;
        if (subscribe.jwtSecret().isPresent()) {
            byte[] secret = subscribe.jwtSecret().get().getBytes(StandardCharsets.UTF_8);
            info = new JWTAuthContextInfo(new SecretKeySpec(secret, "HmacSHA256"), null);
            info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.HS256));
        } else if (subscribe.jwtPublicKeyLocation().isPresent()) {
            info = new JWTAuthContextInfo(subscribe.jwtPublicKeyLocation().get(), null);
            // One algorithm: with several, SmallRye may read the key as the wrong type (an RSA key as EC).
            info.setSignatureAlgorithm(Set.of(subscribe.jwtPublicKeyAlgorithm()));
        } else {
            return Optional.empty();
        }
        info.setRequireNamedPrincipal(false);
        info.setRequiredClaims(Set.of("exp", "iat", CHANNELS_CLAIM));
        info.setExpGracePeriodSecs(EXPIRY_GRACE_SECONDS);
        return Optional.of(info);
    }
}
