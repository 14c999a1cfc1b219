package io.wsc.hardening;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Publish bodies (valid and invalid UTF-8, binary, at and over the size limit) and the content types sent with them. */
final class HostileBodies {

    static final String[] CONTENT_TYPES = { null, "text/plain", "text/plain; charset=utf-8",
            "text/plain; charset=iso-8859-1", "application/json", "application/octet-stream",
            "APPLICATION/OCTET-STREAM; x=y", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
            "text/html", "image/png", "*/*;;;", "garbage" };
    /** Content types that are not a media type at all: wsc answers 400 rather than guess. */
    private static final List<String> UNPARSEABLE = List.of("garbage");

    private HostileBodies() {
    }

    static List<byte[]> small() {
        List<byte[]> bodies = new ArrayList<>();
        bodies.add(new byte[0]);
        bodies.add("hello".getBytes(StandardCharsets.UTF_8));
        bodies.add("é€😀 and \u0000 NUL".getBytes(StandardCharsets.UTF_8));
        // Not UTF-8: a broken pair, bytes never used, a surrogate, past U+10FFFF, an overlong '/', a truncated
        // sequence, a lone continuation byte, and a valid text with one bad byte at its end.
        for (String hex : new String[] { "c328", "fffe", "eda080", "f4908080", "c0af", "e282", "80" }) {
            bodies.add(java.util.HexFormat.of().parseHex(hex));
        }
        byte[] mostlyText = new byte[4096];
        Arrays.fill(mostlyText, (byte) 'a');
        mostlyText[4095] = (byte) 0xC3;
        bodies.add(mostlyText);
        return bodies;
    }

    /** Exactly the limit (accepted) and one byte more (413). */
    static List<byte[]> large() {
        byte[] atLimit = new byte[HttpCases.MAX_MESSAGE_BYTES];
        Arrays.fill(atLimit, (byte) 'z');
        return List.of(atLimit, Arrays.copyOf(atLimit, atLimit.length + 1));
    }

    /** Whether a publish with this type and body is accepted (201) rather than refused with 400. */
    static boolean isAcceptedText(String contentType, byte[] body) {
        if (contentType != null && UNPARSEABLE.contains(contentType)) {
            return false;
        }
        return isBinary(contentType) || isUtf8(body);
    }

    private static boolean isBinary(String contentType) {
        return contentType != null
                && contentType.split(";")[0].trim().toLowerCase(Locale.ROOT).equals("application/octet-stream");
    }

    private static boolean isUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
