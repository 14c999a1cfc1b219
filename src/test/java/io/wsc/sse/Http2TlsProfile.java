package io.wsc.sse;

import java.util.HashMap;
import java.util.Map;

import io.wsc.support.TestCertificate;

/**
 * {@link EventStreamProfile} with TLS on a second port (the generated test certificate, HTTP/2 by ALPN) and a small
 * pending-output bound, so that a stream whose reader stalls reaches it with a few messages.
 */
public class Http2TlsProfile extends EventStreamProfile {

    static final int MAX_PENDING_BYTES = 256 * 1024;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        // A named TLS configuration, as the README advises: the default one would also turn the management port to TLS.
        config.put("quarkus.tls.wsc.key-store.p12.path", TestCertificate.keyStore().toString());
        config.put("quarkus.tls.wsc.key-store.p12.password", TestCertificate.PASSWORD);
        config.put("quarkus.http.tls-configuration-name", "wsc");
        config.put("quarkus.http.test-ssl-port", "0");
        config.put("wsc.max-pending-bytes", String.valueOf(MAX_PENDING_BYTES));
        config.put("wsc.max-message-bytes", String.valueOf(64 * 1024));
        return config;
    }
}
