package io.wsc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The original's command line, {@code wsc ACCESS_KEY [--host HOST] [--port PORT]}, as configuration properties. Given
 * nothing, it adds nothing: environment variables and properties configure the server as before.
 */
@Command(name = "wsc", mixinStandardHelpOptions = true, versionProvider = ServerArguments.Version.class,
        usageHelpAutoWidth = true,
        description = "Push messages from any backend to browsers: subscribe with a WebSocket to a channel URL, "
                + "publish with an HTTP POST (header access-key) to the same URL.",
        footer = "Without ACCESS_KEY, the key comes from the environment variable WSC_ACCESS_KEY.")
final class ServerArguments {

    @Parameters(arity = "0..1", paramLabel = "ACCESS_KEY",
            description = "Key publishers must send (header access-key). Visible in `ps`: prefer --access-key-file.")
    String accessKey;

    @Option(names = "--access-key-file", paramLabel = "PATH",
            description = "Read the access key from this file (surrounding whitespace ignored).")
    Path accessKeyFile;

    @Option(names = "--host", paramLabel = "HOST", description = "Interface to listen on (default: 0.0.0.0).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on, 0 for any free one (default: 8088).")
    Integer port;

    /** The configuration these arguments stand for; {@link IllegalArgumentException} says what is wrong with them. */
    Map<String, String> toProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        String key = key();
        if (key != null) {
            properties.put("wsc.access-key", key);
        }
        if (host != null) {
            if (host.isBlank()) {
                throw new IllegalArgumentException("--host must not be empty");
            }
            properties.put("quarkus.http.host", host);
        }
        if (port != null) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--port must be between 0 and 65535, not " + port);
            }
            properties.put("quarkus.http.port", port.toString());
        }
        return properties;
    }

    private String key() {
        if (accessKey != null && accessKeyFile != null) {
            throw new IllegalArgumentException("Give ACCESS_KEY or --access-key-file, not both");
        }
        String key = accessKeyFile == null ? accessKey : readKeyFile(accessKeyFile);
        if (key != null && key.isBlank()) {
            throw new IllegalArgumentException(accessKeyFile == null ? "ACCESS_KEY must not be empty"
                    : "The access key file " + accessKeyFile + " is empty");
        }
        return key;
    }

    private static String readKeyFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the access key file " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** The project version, written into {@code io/wsc/version.properties} by the build. */
    static final class Version implements IVersionProvider {

        @Override
        public String[] getVersion() throws IOException {
            try (InputStream in = ServerArguments.class.getResourceAsStream("version.properties")) {
                Properties properties = new Properties();
                if (in != null) {
                    properties.load(in);
                }
                return new String[] { "wsc " + properties.getProperty("version", "(unknown version)") };
            }
        }
    }
}
