package io.wsc.hardening;

import java.nio.charset.StandardCharsets;

/**
 * One hostile request and the answer it must get.
 *
 * @param request the exact bytes sent on a fresh connection
 * @param status the expected status, or {@link #NO_ANSWER} or {@link #WAITS}
 * @param bodyMarker text the answer's body must contain (wsc's own answers are JSON: errors carry {@code "status":},
 *        stats {@code "channel_id"}); null where Vert.x answers before wsc sees the request (414, 431, ...), with an
 *        empty or non-JSON body, and for HEAD
 */
record HttpCase(String name, byte[] request, int status, String bodyMarker) {

    /** The server closes the connection without answering. */
    static final int NO_ANSWER = io.wsc.support.RawHttp.CLOSED;
    /** The server keeps waiting for a request (RFC 9112, section 2.2: empty lines before one are ignored). */
    static final int WAITS = io.wsc.support.RawHttp.SILENT;

    static HttpCase of(String name, String head, byte[] body, int status, String bodyMarker) {
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return new HttpCase(name, request, status, bodyMarker);
    }

    @Override
    public String toString() {
        String shown = name.length() > 140 ? name.substring(0, 140) + "..." : name;
        return shown.replace("\r\n", "\\r\\n");
    }
}
