package io.wsc.presence;

/** A client subscribed to a channel: its identity and how many connections it has there (its tabs). */
public record PresentClient(String sub, String info, int connections) {
}
