package io.wsc.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wsc.api.AcceptHeader;
import io.wsc.channel.ChannelId;
import io.wsc.channel.InvalidChannelException;

/**
 * A browser that opens a channel URL gets a page that subscribes to that channel and shows its messages live. Only a
 * GET that accepts {@code text/html} and carries no {@code access-key} gets it: with the key it is a stats request,
 * and anything else (curl's {@code Accept: *}{@code /*}) stays a 401, as in the original.
 */
@ApplicationScoped
public class LiveChannelPage {

    private static final String ACCESS_KEY_HEADER = "access-key";

    private final Buffer page;
    private final String contentSecurityPolicy;

    LiveChannelPage() {
        String html = resource("channel.html");
        this.page = Buffer.buffer(html.getBytes(StandardCharsets.UTF_8));
        // Only the page's own script and style may run, and it may only talk to this server: message text that
        // slipped into the DOM as HTML could still not execute.
        this.contentSecurityPolicy = "default-src 'none'; script-src " + hashOf("script", html)
                + "; style-src " + hashOf("style", html)
                + "; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    void register(@Observes Router router) {
        router.get().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::serve);
    }

    private void serve(RoutingContext context) {
        if (!wantsPage(context)) {
            context.next();
            return;
        }
        context.response()
                .putHeader(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", contentSecurityPolicy)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                // The same URL answers JSON stats to a request with the key.
                .putHeader(HttpHeaderNames.VARY, "Accept, access-key")
                .end(page);
    }

    private static boolean wantsPage(RoutingContext context) {
        var request = context.request();
        if (request.getHeader(ACCESS_KEY_HEADER) != null || request.getHeader(HttpHeaderNames.UPGRADE) != null
                || ChannelId.isReservedPath(request.path()) || !isChannel(request.path())) {
            return false;
        }
        return acceptsHtml(request.getHeader(HttpHeaderNames.ACCEPT));
    }

    /** True when an Accept header lists {@code text/html} without refusing it ({@code q=0}). */
    static boolean acceptsHtml(String accept) {
        return AcceptHeader.lists(accept, "text/html");
    }

    private static boolean isChannel(String rawPath) {
        try {
            ChannelId.fromRawPath(rawPath);
            return true;
        } catch (InvalidChannelException e) {
            return false;
        }
    }

    private static String resource(String name) {
        try (InputStream in = LiveChannelPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CSP source for the page's single inline element {@code <tag>}: {@code 'sha256-...'} of its text. */
    private static String hashOf(String tag, String html) {
        Matcher element = Pattern.compile("<" + tag + ">(.*?)</" + tag + ">", Pattern.DOTALL).matcher(html);
        if (!element.find()) {
            throw new IllegalStateException("channel.html has no <" + tag + "> element");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(element.group(1).getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
