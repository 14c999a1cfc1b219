package io.wsc.webhook;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One POST's worth of events, with its body and headers fixed when it is made: every retry sends the same bytes, so
 * the receiver can drop a repeat by its {@code id} (a retry after a lost answer) and the signature still verifies.
 * The body's {@code id} and {@code time_ms} are signed with it; the headers repeat them for receivers that route on
 * headers.
 */
final class WebhookBatch {

    static final String ID_HEADER = "X-Wsc-Webhook-Id";
    static final String TIMESTAMP_HEADER = "X-Wsc-Webhook-Timestamp";
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<WebhookEvent> events;
    final String body;
    final Map<String, String> headers;

    WebhookBatch(List<WebhookEvent> events, long nowMs, WebhookSignature signature) {
        this.events = events;
        String id = UUID.randomUUID().toString();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("time_ms", nowMs);
        fields.put("events", events);
        try {
            this.body = JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        this.headers = Map.of(WebhookSignature.HEADER, signature.sign(body.getBytes(StandardCharsets.UTF_8)),
                ID_HEADER, id, TIMESTAMP_HEADER, Long.toString(nowMs));
    }
}
