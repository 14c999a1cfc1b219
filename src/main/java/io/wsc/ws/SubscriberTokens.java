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
import jakarta.json.JsonObject;
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
import io.wsc.presence.ClientIdentity;

/**
 * Optional subscriber tokens: a JWT (HS256 with {@code wsc.subscribe.jwt-secret}, or RS256/ES256/... with the key at
 * {@code wsc.subscribe.jwt-public-key-location}) whose {@code channels} claim lists the channels it may subscribe to,
 * each an exact name or a prefix ending in {@code *}. SmallRye JWT checks signature and expiry; an open connection is
 * closed when its token expires ({@link TokenExpiry}). Its {@code sub} and {@code info} claims, when present, name the
 * client for presence and for a disconnect.
 */
@ApplicationScoped
public class SubscriberTokens {

    /** The claim that lists a token's channels. */
    public static final String CHANNELS_CLAIM = "channels";
    /** Clock skew allowed between whoever mints tokens and this server. */
    private static final int EXPIRY_GRACE_SECONDS = 10;

    private static final Logger LOG = Logger.getLogger(SubscriberTokens.class);

    /** The claims that name the client for presence. */
    public static final String SUB_CLAIM = "sub";
    public static final String INFO_CLAIM = "info";
    /** Longest {@code sub} (in characters) a token may name. */
    static final int MAX_SUB_LENGTH = 256;

    enum Verdict {
        ALLOWED, INVALID, OTHER_CHANNEL,
        /** Valid, but its {@code sub} or {@code info} is unusable (too large, not an object, control characters). */
        BAD_IDENTITY
    }

    /**
     * A token's verdict and, when allowed, who it names (null: no {@code sub}) and when its connection must close: its
     * {@code exp} plus the clock skew allowed, in epoch ms, the moment the same token would be refused at an upgrade.
     */
    record Checked(Verdict verdict, ClientIdentity client, long closesAtMillis) {

        static final Checked INVALID = new Checked(Verdict.INVALID, null, 0);
        static final Checked OTHER_CHANNEL = new Checked(Verdict.OTHER_CHANNEL, null, 0);
        static final Checked BAD_IDENTITY = new Checked(Verdict.BAD_IDENTITY, null, 0);
    }

    private final JWTParser parser = new DefaultJWTParser();
    private final Optional<JWTAuthContextInfo> verification;

    private final int maxInfoBytes;

    SubscriberTokens(WscConfig config) {
        this.verification = verification(config.subscribe());
        this.maxInfoBytes = config.presence().maxInfoBytes();
    }

    /** True when subscribers need a token. */
    public boolean required() {
        return verification.isPresent();
    }

    /**
     * Whether the token is valid and covers every one of {@code channelIds} (one connection's channels), and who it
     * names.
     */
    Checked check(String token, List<String> channelIds) {
        if (token == null || token.isEmpty()) {
            LOG.debug("Refused a subscriber without a token");
            return Checked.INVALID;
        }
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token, verification.orElseThrow());
        } catch (ParseException e) {
            LOG.debugf(e, "Refused a subscriber token: %s", e.getMessage());
            return Checked.INVALID;
        }
        List<String> patterns = channels(jwt);
        for (String channelId : channelIds) {
            if (patterns.stream().noneMatch(pattern -> matches(pattern, channelId))) {
                return Checked.OTHER_CHANNEL;
            }
        }
        try {
            return new Checked(Verdict.ALLOWED, identity(jwt),
                    (jwt.getExpirationTime() + EXPIRY_GRACE_SECONDS) * 1000);
        } catch (IllegalArgumentException e) {
            LOG.debugf("Refused a subscriber token: %s", e.getMessage());
            return Checked.BAD_IDENTITY;
        }
    }

    /**
     * Who the token names: its {@code sub} (none when absent or empty), with its {@code info} object as compact JSON
     * when it has one; an unusable one is an {@link IllegalArgumentException}.
     */
    private ClientIdentity identity(JsonWebToken jwt) {
        Object sub = jwt.getClaim(SUB_CLAIM);
        String name = sub instanceof JsonString text ? text.getString() : sub instanceof String text ? text : null;
        if (name == null || name.isEmpty()) {
            return null;
        }
        if (name.length() > MAX_SUB_LENGTH || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("sub is longer than " + MAX_SUB_LENGTH + " or has control characters");
        }
        Object info = jwt.getClaim(INFO_CLAIM);
        if (info == null) {
            return new ClientIdentity(name, null);
        }
        if (!(info instanceof JsonObject object)) {
            throw new IllegalArgumentException("info is not a JSON object");
        }
        String json = new io.vertx.core.json.JsonObject(object.toString()).encode();
        if (json.getBytes(StandardCharsets.UTF_8).length > maxInfoBytes) {
            throw new IllegalArgumentException("info is larger than wsc.presence.max-info-bytes");
        }
        return new ClientIdentity(name, json);
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
