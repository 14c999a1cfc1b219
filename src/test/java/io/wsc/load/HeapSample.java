package io.wsc.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap a JVM still uses after a full collection, through {@code jcmd} (GC.run, then GC.heap_info): what a leak
 * on the heap would grow, independent of how far the heap itself was sized or touched.
 */
final class HeapSample {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private HeapSample() {
    }

    /** MiB used after a full GC, or -1 when jcmd is not available. */
    static double usedAfterGcMib(long pid) throws IOException, InterruptedException {
        if (jcmd(pid, "GC.run") == null) {
            return -1;
        }
        String info = jcmd(pid, "GC.heap_info");
        Matcher used = info == null ? null : USED.matcher(info);
        return used != null && used.find() ? Long.parseLong(used.group(1)) / 1024.0 : -1;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        } catch (IOException noJcmd) {
            return null;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = process.waitFor(60, TimeUnit.SECONDS);
        return done && process.exitValue() == 0 ? output : null;
    }
}
