package io.wsc.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The {@code X-Wsc-Signature} header: HMAC-SHA256 of the raw body with {@code wsc.webhook.secret}, lower-case hex. */
final class WebhookSignature {

    static final String HEADER = "X-Wsc-Signature";

    private final SecretKeySpec key;

    WebhookSignature(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256"); // a Mac is not thread-safe: one per signature, they are cheap
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
