package io.wsc.channel;

/** A message id as subscribers send it back to resume ({@code ?since=}, {@code Last-Event-ID}): a decimal number. */
public final class MessageId {

    /** What {@link #parse} answers when no id was given. */
    public static final long NONE = -1;

    private MessageId() {
    }

    /**
     * The id, at least 0 (0: from the start of what is kept); {@link #NONE} for null.
     *
     * @throws IllegalArgumentException when the text is not such an id
     */
    public static long parse(String text) {
        if (text == null) {
            return NONE;
        }
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("A message id is a decimal number of at most 18 digits");
        }
        return Long.parseLong(text);
    }
}
