package io.wsc.http;

import java.util.HashMap;
import java.util.Map;

import io.wsc.support.TestCertificate;

/** {@link ShortTimeoutsProfile} with h2c on ({@code wsc.http2-cleartext}) and TLS on a second port. */
public class CleartextHttp2Profile extends ShortTimeoutsProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("wsc.http2-cleartext", "true");
        config.put("quarkus.tls.wsc.key-store.p12.path", TestCertificate.keyStore().toString());
        config.put("quarkus.tls.wsc.key-store.p12.password", TestCertificate.PASSWORD);
        config.put("quarkus.http.tls-configuration-name", "wsc");
        config.put("quarkus.http.test-ssl-port", "0");
        return config;
    }
}
