package io.wsc.api;

/**
 * Reads an {@code Accept} header just enough to tell what a GET on a channel URL asks for: the live page
 * ({@code text/html}), an event stream ({@code text/event-stream}), or else stats.
 */
public final class AcceptHeader {

    private AcceptHeader() {
    }

    /**
     * True when the header lists {@code mediaType} by name (any case) without refusing it ({@code q=0}); wildcards do
     * not count, so curl's {@code *}{@code /*} asks for neither the page nor a stream.
     */
    public static boolean lists(String accept, String mediaType) {
        if (accept == null) {
            return false;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            if (parts[0].trim().equalsIgnoreCase(mediaType) && !isRefused(parts)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRefused(String[] rangeParts) {
        for (int i = 1; i < rangeParts.length; i++) {
            String parameter = rangeParts[i].replace(" ", "");
            if (parameter.matches("q=0(\\.0{0,3})?")) {
                return true;
            }
        }
        return false;
    }
}
