package io.wsc.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wsc.client.SubscriberToken;
import io.wsc.support.TestSubscriber;

/** RS256 subscriber tokens verified with a public key file (wsc.subscribe.jwt-public-key-location). */
@QuarkusTest
@TestProfile(PublicKeyProfile.class)
class PublicKeyTokenTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void tokensSignedWithThePrivateKeyAreAcceptedOthersAreNot() throws Exception {
        long exp = Instant.now().plusSeconds(60).getEpochSecond();
        String claims = "{\"sub\":\"browser-1\",\"iat\":" + (exp - 60) + ",\"exp\":" + exp + ",\"channels\":[\"idp/*\"]}";
        PrivateKey identityProvider = privateKey();
        assertEquals(101, upgrade("/idp/room?token=" + rs256(claims, identityProvider)));
        assertEquals(403, upgrade("/elsewhere?token=" + rs256(claims, identityProvider)));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        assertEquals(401, upgrade("/idp/room?token=" + rs256(claims, generator.generateKeyPair().getPrivate())));
        // An HS256 token made with the public key as its secret (algorithm confusion) must not pass.
        String publicKeyAsSecret = Files.readString(PublicKeyProfile.KEYS.resolve("public.pem"));
        assertEquals(401, upgrade("/idp/room?token=" + SubscriberToken.mint(publicKeyAsSecret,
                Duration.ofMinutes(1), "idp/*")));
    }

    private int upgrade(String path) {
        return TestSubscriber.upgradeStatus(base, path, Map.of());
    }

    private static PrivateKey privateKey() throws Exception {
        String pem = Files.readString(PublicKeyProfile.KEYS.resolve("private.pem"));
        byte[] pkcs8 = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    private static String rs256(String claims, PrivateKey key) throws Exception {
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        String signed = base64url.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + base64url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signed.getBytes(StandardCharsets.UTF_8));
        return signed + "." + base64url.encodeToString(signature.sign());
    }
}
