package io.wsc.ws;

import java.util.List;

/**
 * {@code ?rewind=N}: a first subscription asks for the newest N kept messages of each of its channels before the live
 * ones (a channel that also resumes, with {@code since} or {@code Last-Event-ID}, resumes instead). At most what is
 * kept: a larger N is the history's size.
 */
public final class Rewind {

    /** The query parameter. */
    public static final String PARAMETER = "rewind";

    /** Digits past this many are a number above any history size. */
    private static final int MAX_DIGITS = 9;

    private Rewind() {
    }

    /**
     * How many messages to rewind, at most {@code historySize}; 0 when none is asked for.
     *
     * @throws IllegalArgumentException when the value is not one decimal number (a sign, an empty value, twice)
     */
    static int parse(List<String> values, int historySize) {
        if (values.isEmpty()) {
            return 0;
        }
        String text = values.get(0);
        if (values.size() > 1 || text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("rewind takes one number of messages");
        }
        return text.length() > MAX_DIGITS ? historySize : Math.min(Integer.parseInt(text), historySize);
    }
}
