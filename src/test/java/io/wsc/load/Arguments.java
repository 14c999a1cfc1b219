package io.wsc.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line arguments of the load tools: options as {@code --name=value} or {@code --name value}, and bare words
 * (such as scenario names) in order. An option not given falls back to the environment ({@code --server-pid} to
 * {@code SERVER_PID}), then to a default.
 */
record Arguments(Map<String, String> options, List<String> words, Map<String, String> env) {

    static Arguments parse(String[] args, Map<String, String> env) {
        Map<String, String> options = new HashMap<>();
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                words.add(arg);
            } else if (arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else if (i + 1 < args.length) {
                options.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("missing value for " + arg);
            }
        }
        return new Arguments(options, words, env);
    }

    /** The option, else its environment variable, else {@code fallback}. */
    String get(String name, String fallback) {
        String value = options.get(name);
        if (value == null) {
            value = env.get(name.toUpperCase().replace('-', '_'));
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The option as given on the command line only (no environment), or {@code fallback}. */
    String given(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    /** Fails on an option outside {@code known}, so that a misspelt one does not silently run the default. */
    Arguments only(List<String> known) {
        for (String name : options.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (known: --" + String.join(", --", known)
                        + ")");
            }
        }
        return this;
    }
}
