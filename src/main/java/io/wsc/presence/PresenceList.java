package io.wsc.presence;

import java.util.List;

/** The clients of a channel, ordered by {@code sub}; {@code truncated} when more are there than were asked for. */
public record PresenceList(List<PresentClient> clients, boolean truncated) {

    public static final PresenceList EMPTY = new PresenceList(List.of(), false);
}
