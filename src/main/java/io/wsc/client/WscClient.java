package io.wsc.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Publishes to and reads stats of wsc channels: the original's {@code WSC(access_key, hostname, port)} with
 * {@code send} and {@code stat}. Thread-safe; keep one per server. Channel names are normalised as the server does
 * ("Chat/Room 1" and "chat/room 1/" are the same channel).
 *
 * <pre>{@code
 * WscClient wsc = WscClient.builder().baseUri("http://127.0.0.1:8088").accessKey("A0B1C2D3").build();
 * PublishReceipt receipt = wsc.send("chat/room/1", "hello");   // receipt.recipients(): subscribers reached
 * ChannelStats stats = wsc.stat("chat/room/1");
 * List<PublishReceipt> each = wsc.sendMany(List.of("user/42", "user/43"), "hello"); // one POST, one receipt each
 * ChannelPresence presence = wsc.presence("chat/room/1");       // presence.clients(): who is subscribed
 * int closed = wsc.disconnect("chat/room/1");                   // its subscribers get close code 4403
 * wsc.disconnectClient("alice");                                // every connection whose token's sub is alice
 * }</pre>
 *
 * Errors: a {@link WscException} (an {@link IOException}) when the server answers with an error status; other
 * {@link IOException}s when it cannot be reached or does not answer in time.
 */
public final class WscClient {

    static final String ACCESS_KEY_HEADER = "access-key";

    private final HttpClient http;
    private final URI baseUri;
    private final String accessKey;
    private final Duration requestTimeout;

    private WscClient(Builder builder) {
        this.http = builder.httpClient != null ? builder.httpClient
                : HttpClient.newBuilder().connectTimeout(builder.connectTimeout).build();
        this.baseUri = builder.baseUri;
        this.accessKey = builder.accessKey;
        this.requestTimeout = builder.requestTimeout;
    }

    /** The original's constructor: a server on {@code http://hostname:port}. */
    public static WscClient create(String accessKey, String hostname, int port) {
        return builder().baseUri(URI.create("http://" + hostname + ":" + port)).accessKey(accessKey).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Publishes a text message (sent to subscribers as a text frame). */
    public PublishReceipt send(String channel, String message) throws IOException, InterruptedException {
        return receipt(http.send(publish(channel, message), HttpResponse.BodyHandlers.ofString()));
    }

    /** Publishes binary data (sent to subscribers as a binary frame). */
    public PublishReceipt send(String channel, byte[] message) throws IOException, InterruptedException {
        return receipt(http.send(publish(channel, message), HttpResponse.BodyHandlers.ofString()));
    }

    public CompletableFuture<PublishReceipt> sendAsync(String channel, String message) {
        return http.sendAsync(publish(channel, message), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> unchecked(() -> receipt(response)));
    }

    public CompletableFuture<PublishReceipt> sendAsync(String channel, byte[] message) {
        return http.sendAsync(publish(channel, message), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> unchecked(() -> receipt(response)));
    }

    /**
     * Publishes one text message to several channels with one request (at most the server's
     * {@code wsc.max-channels-per-publish}): one receipt per channel, in the order given (a channel named twice once).
     *
     * @throws PartialPublishException when some channels did not take it: publish again to its {@code failed()} ones
     */
    public List<PublishReceipt> sendMany(List<String> channels, String message)
            throws IOException, InterruptedException {
        return receipts(http.send(publishMany(channels).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(message, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    /** Publishes binary data to several channels with one request; see {@link #sendMany(List, String)}. */
    public List<PublishReceipt> sendMany(List<String> channels, byte[] message)
            throws IOException, InterruptedException {
        return receipts(http.send(publishMany(channels).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(message)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** The channel's stats; a channel nobody used yet has zero everywhere. */
    public ChannelStats stat(String channel) throws IOException, InterruptedException {
        return stats(http.send(statsRequest(channel), HttpResponse.BodyHandlers.ofString()));
    }

    public CompletableFuture<ChannelStats> statAsync(String channel) {
        return http.sendAsync(statsRequest(channel), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> unchecked(() -> stats(response)));
    }

    /**
     * The channel's clients: connections whose subscriber token names a {@code sub}, each client once with its
     * connection count (cluster-wide with Redis). The server refuses it (400) without subscriber tokens.
     */
    public ChannelPresence presence(String channel) throws IOException, InterruptedException {
        return presence(http.send(presenceRequest(channel), HttpResponse.BodyHandlers.ofString()));
    }

    public CompletableFuture<ChannelPresence> presenceAsync(String channel) {
        return http.sendAsync(presenceRequest(channel), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> unchecked(() -> presence(response)));
    }

    /**
     * Closes the channel's subscribers on every node (WebSockets with close code 4403, event streams with a last
     * {@code disconnected} event); returns how many there were just before, as {@link #stat} counts them. They may
     * subscribe again: stop minting their tokens to keep them out.
     */
    public int disconnect(String channel) throws IOException, InterruptedException {
        return intOf(body(http.send(request(channel).DELETE().build(), HttpResponse.BodyHandlers.ofString())),
                "subscribers");
    }

    /**
     * Closes every connection whose subscriber token names {@code sub}, on every channel and node. The server refuses
     * it (400) without subscriber tokens.
     */
    public void disconnectClient(String sub) throws IOException, InterruptedException {
        if (sub == null || sub.isEmpty()) {
            throw new IllegalArgumentException("sub must not be empty");
        }
        body(http.send(request("/", "?sub=" + URLEncoder.encode(sub, StandardCharsets.UTF_8)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private HttpRequest publish(String channel, String message) {
        return request(channel).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(message, StandardCharsets.UTF_8)).build();
    }

    private HttpRequest publish(String channel, byte[] message) {
        return request(channel).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(message)).build();
    }

    private HttpRequest statsRequest(String channel) {
        return request(channel).header("Accept", "application/json").GET().build();
    }

    private HttpRequest presenceRequest(String channel) {
        return request(ChannelPath.of(channel), "?presence").header("Accept", "application/json").GET().build();
    }

    private HttpRequest.Builder request(String channel) {
        return request(ChannelPath.of(channel), "");
    }

    /** The first channel's URL with every channel as a {@code channel} parameter: the many-receipt form, even for one. */
    private HttpRequest.Builder publishMany(List<String> channels) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("sendMany needs at least one channel");
        }
        StringBuilder query = new StringBuilder();
        for (String channel : channels) {
            query.append(query.length() == 0 ? '?' : '&').append("channel=").append(ChannelPath.queryValue(channel));
        }
        return request(ChannelPath.of(channels.get(0)), query.toString());
    }

    private HttpRequest.Builder request(String path, String query) {
        return HttpRequest.newBuilder(URI.create(baseUri.toString().replaceAll("/+$", "") + path + query))
                .timeout(requestTimeout)
                .header(ACCESS_KEY_HEADER, accessKey);
    }

    private static PublishReceipt receipt(HttpResponse<String> response) throws WscException {
        Map<String, Object> json = body(response);
        return new PublishReceipt((String) json.get("status"), (String) json.get("channel_id"),
                intOf(json, "content_length"), intOf(json, "recipients"),
                Optional.ofNullable(json.get("message_id")).map(String::valueOf));
    }

    /**
     * A publish to several channels' answer: each channel's receipt; when some channels did not take it (503), a
     * {@link PartialPublishException} with the receipts of those that did.
     */
    private static List<PublishReceipt> receipts(HttpResponse<String> response) throws WscException {
        Map<String, Object> json = response.statusCode() == 503 ? partialAnswer(response) : body(response);
        if (!(json.get("channels") instanceof List<?> channels)) {
            throw new WscException(response.statusCode(), "Answer without channels: " + response.body());
        }
        String status = (String) json.get("status");
        int contentLength = intOf(json, "content_length");
        List<PublishReceipt> published = new ArrayList<>(channels.size());
        Map<String, String> failed = new LinkedHashMap<>();
        for (Object item : channels) {
            @SuppressWarnings("unchecked")
            Map<String, Object> channel = (Map<String, Object>) item;
            String channelId = (String) channel.get("channel_id");
            if (channel.get("error") != null) {
                failed.put(channelId, (String) channel.get("error"));
            } else {
                published.add(new PublishReceipt("Message sent", channelId, contentLength, intOf(channel, "recipients"),
                        Optional.ofNullable(channel.get("message_id")).map(String::valueOf)));
            }
        }
        if (response.statusCode() / 100 != 2) {
            throw new PartialPublishException(response.statusCode(), status, List.copyOf(published), failed);
        }
        return List.copyOf(published);
    }

    /** A 503 that lists channels (some took the message, some did not) is read; any other 503 is an error. */
    private static Map<String, Object> partialAnswer(HttpResponse<String> response) throws WscException {
        try {
            Map<String, Object> json = JsonReader.readObject(response.body());
            if (json.get("channels") instanceof List) {
                return json;
            }
            throw new WscException(503, Objects.toString(json.get("status"), ""));
        } catch (IllegalArgumentException e) {
            throw new WscException(503, response.body().strip());
        }
    }

    private static ChannelStats stats(HttpResponse<String> response) throws WscException {
        Map<String, Object> json = body(response);
        if (!(json.get("stat") instanceof Map<?, ?> stat)) {
            throw new WscException(response.statusCode(), "Answer without stats: " + response.body());
        }
        return new ChannelStats((String) json.get("channel_id"), ((Number) stat.get("peers")).intValue(),
                ((Number) stat.get("sent_messages")).longValue(), ((Number) stat.get("sent_bytes")).longValue());
    }

    private static ChannelPresence presence(HttpResponse<String> response) throws WscException {
        Map<String, Object> json = body(response);
        if (!(json.get("clients") instanceof List<?> listed)) {
            throw new WscException(response.statusCode(), "Answer without clients: " + response.body());
        }
        List<ChannelPresence.Client> clients = new ArrayList<>();
        for (Object entry : listed) {
            Map<?, ?> client = (Map<?, ?>) entry;
            @SuppressWarnings("unchecked")
            Map<String, Object> info = client.get("info") instanceof Map<?, ?> map ? (Map<String, Object>) map
                    : Map.of();
            clients.add(new ChannelPresence.Client((String) client.get("sub"), info,
                    ((Number) client.get("connections")).intValue()));
        }
        return new ChannelPresence((String) json.get("channel"), List.copyOf(clients),
                Boolean.TRUE.equals(json.get("truncated")));
    }

    /** The JSON body of a 2xx answer; any other answer becomes a {@link WscException}. */
    private static Map<String, Object> body(HttpResponse<String> response) throws WscException {
        int status = response.statusCode();
        Map<String, Object> json;
        try {
            json = JsonReader.readObject(response.body());
        } catch (IllegalArgumentException e) {
            throw new WscException(status, status / 100 == 2 ? "Answer is not JSON: " + response.body()
                    : response.body().strip());
        }
        if (status / 100 != 2) {
            throw new WscException(status, Objects.toString(json.get("status"), ""));
        }
        return json;
    }

    private static int intOf(Map<String, Object> json, String name) {
        return ((Number) json.get(name)).intValue();
    }

    private interface Answer<T> {
        T read() throws WscException;
    }

    /** Lets an async stage fail with the {@link WscException} itself as the cause. */
    private static <T> T unchecked(Answer<T> answer) {
        try {
            return answer.read();
        } catch (WscException e) {
            throw new CompletionException(e);
        }
    }

    /** Where the server is, the key, and timeouts. */
    public static final class Builder {

        private URI baseUri = URI.create("http://127.0.0.1:8088");
        private String accessKey;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private HttpClient httpClient;

        private Builder() {
        }

        /**
         * {@code http://} or {@code https://} with host and port, and a path prefix if a proxy adds one; default
         * {@code http://127.0.0.1:8088}.
         */
        public Builder baseUri(URI baseUri) {
            String scheme = Objects.requireNonNull(baseUri, "baseUri").getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || baseUri.getHost() == null) {
                throw new IllegalArgumentException("baseUri must be an http:// or https:// URI with a host: " + baseUri);
            }
            this.baseUri = baseUri;
            return this;
        }

        public Builder baseUri(String baseUri) {
            return baseUri(URI.create(baseUri));
        }

        public Builder accessKey(String accessKey) {
            if (accessKey == null || accessKey.isBlank()) {
                throw new IllegalArgumentException("accessKey must not be empty");
            }
            if (accessKey.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("accessKey must not contain control characters (a newline?)");
            }
            this.accessKey = accessKey;
            return this;
        }

        /** Time to open a connection; default 5 s. Ignored with {@link #httpClient}. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** Time for the whole answer; default 10 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        /** Your own client, e.g. with an {@code SSLContext} for a private CA or an executor. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        public WscClient build() {
            if (accessKey == null) {
                throw new IllegalStateException("accessKey is required");
            }
            return new WscClient(this);
        }
    }
}
