package io.wsc.load;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The load run's parameters, from {@code --name=value} arguments or else the environment ({@code CONNECTIONS},
 * {@code CHANNELS}, ...), else the defaults: the soak test's 5,000 connections over 100 channels, 50 messages a second
 * of 100 bytes for 10 minutes.
 */
public record LoadOptions(URI url, String accessKey, long serverPid, int connections, int channels,
        Duration duration, Duration warmUp, double rate, int size, double maxRssDriftPercent) {

    public static LoadOptions parse(String[] args, Map<String, String> env) {
        Arguments settings = Arguments.parse(args, env);
        if (!settings.words().isEmpty()) {
            throw new IllegalArgumentException("expected --name=value, got " + settings.words().get(0));
        }
        return new LoadOptions(URI.create(settings.get("url", "http://127.0.0.1:8088/")),
                settings.get("access-key", "A0B1C2D3"),
                Long.parseLong(settings.get("server-pid", "0")),
                Integer.parseInt(settings.get("connections", "5000")),
                Integer.parseInt(settings.get("channels", "100")),
                duration(settings.get("duration", "10m")),
                duration(settings.get("warm-up", "30s")),
                Double.parseDouble(settings.get("rate", "50")),
                Integer.parseInt(settings.get("size", "100")),
                Double.parseDouble(settings.get("max-rss-drift", "10")));
    }

    /** {@code 90s}, {@code 10m}, {@code 1h}, or plain seconds. */
    static Duration duration(String text) {
        char unit = text.charAt(text.length() - 1);
        if (Character.isDigit(unit)) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (unit) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("unknown duration unit in " + text);
        };
    }
}
