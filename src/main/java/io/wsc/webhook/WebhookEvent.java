package io.wsc.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One thing the backend is told: {@code name} is {@code channel_occupied}, {@code channel_vacated},
 * {@code member_added} or {@code member_removed}; {@code sub} names the member (null for channel events);
 * {@code timeMs} is when it was decided (Redis's clock with the Redis broker, so events of one channel sort by it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookEvent(String name, String channel, String sub, @JsonProperty("time_ms") long timeMs) {

    public static final String OCCUPIED = "channel_occupied";
    public static final String VACATED = "channel_vacated";
    public static final String MEMBER_ADDED = "member_added";
    public static final String MEMBER_REMOVED = "member_removed";

    /** {@code channel_occupied} or {@code member_added} for a channel ({@code sub} null) or one of its members. */
    public static WebhookEvent filled(String channel, String sub, long timeMs) {
        return new WebhookEvent(sub == null ? OCCUPIED : MEMBER_ADDED, channel, sub, timeMs);
    }

    /** {@code channel_vacated} or {@code member_removed}. */
    public static WebhookEvent emptied(String channel, String sub, long timeMs) {
        return new WebhookEvent(sub == null ? VACATED : MEMBER_REMOVED, channel, sub, timeMs);
    }
}
