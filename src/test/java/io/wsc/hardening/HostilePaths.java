package io.wsc.hardening;

import java.util.ArrayList;
import java.util.List;

import io.wsc.hardening.HttpCases.PathCase;
import io.wsc.hardening.HttpCases.PathKind;

/** Generated channel paths: traversal look-alikes, percent-escapes of every control byte, bad UTF-8, long ones. */
final class HostilePaths {

    private HostilePaths() {
    }

    static List<PathCase> all() {
        List<PathCase> paths = new ArrayList<>();
        // Names, however odd: wsc does not resolve dot segments or decode %2F into a separator of its own.
        for (String name : new String[] { "/", "///", "/..", "/a/../b", "/%2e%2e/%2e%2e/etc", "/%2F", "/a%2Fb%2Fc",
                "/%20a%20", "/a+b", "/a;b=c", "/a?x=1&y", "/a#frag", "/%C3%A9", "/%F0%9F%98%80", "/a%25b", "/~u",
                "/A/B/C/", "/" + "a".repeat(255), "/" + "a/".repeat(127) + "a", "/%41%42" }) {
            paths.add(new PathCase(name, PathKind.CHANNEL));
        }
        // Every control character, percent-encoded, is refused (C0, DEL, and the C1 range as UTF-8).
        for (int b = 0; b < 0x20; b++) {
            paths.add(new PathCase(String.format("/a%%%02Xb", b), PathKind.INVALID));
        }
        paths.add(new PathCase("/a%7Fb", PathKind.INVALID));
        for (int c = 0x80; c < 0xA0; c += 7) {
            paths.add(new PathCase(String.format("/a%%C2%%%02Xb", c), PathKind.INVALID));
        }
        // Malformed escapes: Vert.x refuses the path itself (400, empty body) before wsc sees it.
        for (String bad : new String[] { "%", "%4", "%Z", "%ZZ", "%%41" }) {
            paths.add(new PathCase("/a" + bad, PathKind.VERTX_BAD_REQUEST));
        }
        // Percent-encoded bytes that are not UTF-8: wsc refuses the name.
        for (String bad : new String[] { "%C3%28", "%FF", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%E2%82", "%80",
                "%F0%9F%98" }) {
            paths.add(new PathCase("/a" + bad, PathKind.INVALID));
        }
        // Too long once decoded: 256 characters, or thousands of segments (still within the 4096-byte request line).
        paths.add(new PathCase("/" + "b".repeat(256), PathKind.INVALID));
        paths.add(new PathCase("/" + "%41".repeat(256), PathKind.INVALID));
        paths.add(new PathCase("/" + "a/".repeat(1500), PathKind.INVALID));
        paths.add(new PathCase("/" + "%2F".repeat(1000) + "a", PathKind.CHANNEL)); // slashes at the ends are stripped
        paths.add(new PathCase("/" + "/".repeat(2000) + "a", PathKind.CHANNEL));
        // Past the request-line limit: Vert.x answers 414 before any of wsc runs.
        paths.add(new PathCase("/" + "c".repeat(5000), PathKind.CHANNEL));
        paths.add(new PathCase("/" + "c/".repeat(4000), PathKind.CHANNEL));
        paths.add(new PathCase("/" + "%00".repeat(3000), PathKind.INVALID));
        for (String quarkus : new String[] { "/q", "/q/", "/q/x", "/q/health", "/q/dev-ui/x" }) {
            paths.add(new PathCase(quarkus, PathKind.RESERVED));
        }
        return paths;
    }
}
