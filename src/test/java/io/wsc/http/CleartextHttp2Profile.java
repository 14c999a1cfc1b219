package io.wsc.http;

import java.util.HashMap;
import java.util.Map;

/** {@link ShortTimeoutsProfile} with h2c on ({@code wsc.http2-cleartext}). */
public class CleartextHttp2Profile extends ShortTimeoutsProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("wsc.http2-cleartext", "true");
        return config;
    }
}
