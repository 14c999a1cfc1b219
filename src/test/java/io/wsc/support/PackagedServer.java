package io.wsc.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged application ({@code target/quarkus-app/quarkus-run.jar}) in its own JVM, on free ports. */
public final class PackagedServer implements AutoCloseable {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final String LOOPBACK = "127.0.0.1";

    /** Where the test reaches it: 127.0.0.1, or an address of the network namespace it runs in. */
    public final String host;
    public final int httpPort;
    public final int managementPort;
    public final Path log;
    private final Process process;

    private PackagedServer(Process process, String host, int httpPort, int managementPort, Path log) {
        this.process = process;
        this.host = host;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.log = log;
    }

    /** Starts the jar with the given environment and extra arguments, without waiting for it to be ready. */
    public static PackagedServer start(Map<String, String> env, String... args) throws IOException {
        int http = freePort();
        int management = freePort();
        List<String> ports = List.of("-Dquarkus.http.port=" + http, "-Dquarkus.management.port=" + management);
        return launch(List.of(), LOOPBACK, env, ports, List.of(args), http, management);
    }

    /**
     * Starts the jar inside the network namespace, without waiting for it to be ready; the test reaches it at
     * {@code host}, one of the namespace's addresses (it listens on every interface there, as in prod).
     */
    public static PackagedServer startIn(NetworkNamespace namespace, String host, Map<String, String> env,
            String... args) throws IOException {
        int http = freePort();
        int management = freePort();
        List<String> ports = List.of("-Dquarkus.http.port=" + http, "-Dquarkus.management.port=" + management);
        return launch(namespace.exec(), host, env, ports, List.of(args), http, management);
    }

    /** Starts the jar on the given ports (e.g. ones the test holds itself), without waiting for it to be ready. */
    public static PackagedServer startOn(int http, int management, Map<String, String> env, String... args)
            throws IOException {
        List<String> ports = List.of("-Dquarkus.http.port=" + http, "-Dquarkus.management.port=" + management);
        return launch(List.of(), LOOPBACK, env, ports, List.of(args), http, management);
    }

    /**
     * Starts the jar without any port setting, so it listens where its own configuration says; the caller names the
     * ports it expects there (e.g. as the Helm chart renders them). Fails at once when one of them is taken.
     */
    public static PackagedServer startOnItsOwnPorts(Map<String, String> env, int expectedHttpPort,
            int expectedManagementPort) throws IOException {
        for (int port : new int[] { expectedHttpPort, expectedManagementPort }) {
            try (ServerSocket socket = new ServerSocket(port)) {
                // free
            } catch (IOException e) {
                throw new IllegalStateException("port " + port + " is in use: this test starts the application on its"
                        + " default ports; stop whatever listens there (e.g. ./mvnw quarkus:dev)", e);
            }
        }
        return launch(List.of(), LOOPBACK, env, List.of(), List.of(), expectedHttpPort, expectedManagementPort);
    }

    /** Starts the jar (with command-line arguments, if any) and waits until readiness is UP. */
    public static PackagedServer startReady(Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return start(env, args).awaitReady();
    }

    /** Waits until readiness is UP; stops the server and fails with its output when it does not get there. */
    public PackagedServer awaitReady() throws InterruptedException, IOException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (readinessStatus() != 200) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                String output = output();
                close();
                throw new IllegalStateException("The packaged server did not become ready:\n" + output);
            }
            Thread.sleep(50);
        }
        return this;
    }

    /** {@code launcher}: what runs the JVM, e.g. {@code ip netns exec <name>}; empty to run it here. */
    private static PackagedServer launch(List<String> launcher, String host, Map<String, String> env,
            List<String> jvmArgs, List<String> appArgs, int http, int management) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run ./mvnw verify (the package phase builds it)");
        }
        List<String> command = new ArrayList<>(launcher);
        command.add(javaBinary());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(appArgs);
        Path log = Files.createTempFile("wsc-server", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new PackagedServer(builder.start(), host, http, management, log);
    }

    public URI base() {
        return URI.create("http://" + host + ":" + httpPort + "/");
    }

    /** HTTP status of {@code /q/health/ready}, or -1 when nothing answers. */
    public int readinessStatus() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + managementPort
                    + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A sample from {@code /q/metrics}: {@code series} is the name with its labels, as Prometheus writes them. */
    public double metric(String series) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + managementPort + "/q/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
        String scraped = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
        return scraped.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1))).orElse(0.0);
    }

    /** Sends SIGTERM, as Kubernetes does. */
    public void terminate() {
        process.destroy();
    }

    public Process process() {
        return process;
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    /** The log lines at WARN or ERROR level (the console format: date, time, level). */
    public List<String> warningsAndErrors() throws IOException {
        return output().lines().filter(line -> line.matches("\\S+ \\S+ (WARN|ERROR) .*")).toList();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
