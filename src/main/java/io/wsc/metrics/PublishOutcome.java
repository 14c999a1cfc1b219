package io.wsc.metrics;

/** The outcome label of a publish, from the HTTP status it was answered with (a fixed, small set of values). */
final class PublishOutcome {

    private PublishOutcome() {
    }

    static String of(int httpStatus) {
        return switch (httpStatus) {
            case 201 -> "sent";
            case 400 -> "invalid";
            case 401 -> "unauthorized";
            case 413 -> "too_large";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            default -> httpStatus >= 500 ? "error" : "other";
        };
    }
}
