package io.wsc.ws;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import io.wsc.channel.FrameForm;
import io.wsc.channel.JsonFrames;
import io.wsc.channel.Subscriber;
import io.wsc.channel.SubscriberConnection;
import io.wsc.ws.SubscriberAdmission.Refusal;
import io.wsc.ws.SubscriberAdmission.Verdict;

/**
 * Decides whether a WebSocket upgrade may become a subscriber ({@link SubscriberAdmission}'s checks, plus the
 * subprotocol and {@code ?since=}) and, if so, joins it to its channels right here, before the 101 response goes out.
 * Joining later, when websockets-next calls {@code @OnOpen}, leaves a window in which a client already holds an open
 * socket, publishes, and misses its own message. Frames published during the upgrade wait in the {@link SubscriberConnection}
 * until the socket is open.
 */
@ApplicationScoped
public class UpgradeGuard implements HttpUpgradeCheck {

    /** The connection its subscribers (one per channel) share. */
    static final TypedKey<SubscriberConnection> CONNECTION = new TypedKey<>("wsc.subscriber-connection");
    /** The upgrade request's headers, until {@link ChannelSocket} lets go of them once the WebSocket is open. */
    static final TypedKey<MultiMap> UPGRADE_HEADERS = new TypedKey<>("wsc.upgrade-headers");

    private static final Logger LOG = Logger.getLogger(UpgradeGuard.class);

    private final SubscriberAdmission admission;

    UpgradeGuard(SubscriberAdmission admission) {
        this.admission = admission;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        if (namesAnotherProtocol(request.getHeader("Upgrade"))) {
            return reject(admission.count(Refusal.NOT_WEBSOCKET));
        }
        FrameForm form = asksForJson(request) ? FrameForm.JSON : FrameForm.RAW;
        Verdict verdict = admission.check(request, form);
        if (verdict.refusal() != null) {
            LOG.debugf("Refused a WebSocket upgrade: %s", verdict.refusal().reason());
            return reject(verdict.refusal());
        }
        Map<String, Long> since;
        try {
            since = ResumePoints.parse(request.params().getAll(ResumePoints.PARAMETER), verdict.channels());
        } catch (IllegalArgumentException e) {
            return reject(admission.count(Refusal.INVALID_SINCE));
        }
        if (!since.isEmpty() && form == FrameForm.RAW) {
            // resuming needs the JSON frames, which carry the ids
            return reject(admission.count(Refusal.INVALID_SINCE));
        }
        // websockets-next does not expose the socket; the Netty channel is what lets fan-out write one shared frame.
        Channel socket = ((ConnectionBase) request.connection()).channel();
        return admission.authorize(request, verdict.channels(), "websocket", socket.eventLoop())
                .chain(refusal -> refusal != null ? reject(refusal)
                        : subscribe(context, request, socket, verdict, form, since));
    }

    /** Joins the connection's subscribers now; the 101 goes out once their channels are delivered here. */
    private Uni<CheckResult> subscribe(HttpUpgradeContext context, HttpServerRequest request, Channel socket,
            Verdict verdict, FrameForm form, Map<String, Long> since) {
        List<Subscriber> subscribers = admission.join(verdict, socket, form);
        keepHandshakeHeaders(request.headers());
        context.userData().put(CONNECTION, subscribers.get(0).connection());
        context.userData().put(UPGRADE_HEADERS, request.headers());
        // The 101 waits until the broker delivers these channels here and the catch-ups, if any, are in place.
        return admission.ready(verdict, subscribers, since)
                .replaceWith(CheckResult.permitUpgrade())
                .onFailure().recoverWithUni(failure -> {
                    LOG.debugf("Refused a WebSocket upgrade: broker unavailable (%s)", failure.getMessage());
                    return reject(Refusal.BROKER_UNAVAILABLE);
                });
    }

    /**
     * Drops every header but those the handshake reads ({@code Host}, {@code Upgrade}, {@code Connection},
     * {@code Sec-WebSocket-*}). Admission has read what it needs by now, and websockets-next copies the headers left
     * into each connection for its whole life: a browser's user agent, languages and cookies would cost about 1 KB per
     * subscriber there.
     */
    static void keepHandshakeHeaders(MultiMap headers) {
        List<String> others = headers.names().stream().filter(name -> !isHandshakeHeader(name)).toList();
        others.forEach(headers::remove);
    }

    private static boolean isHandshakeHeader(String name) {
        return name.regionMatches(true, 0, "Sec-WebSocket-", 0, "Sec-WebSocket-".length())
                || name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Upgrade")
                || name.equalsIgnoreCase("Connection");
    }

    /**
     * True for an {@code Upgrade} that names protocols, none of them WebSocket ({@code h2c}, say). websockets-next
     * takes every request with a {@code Sec-WebSocket-Key} for a handshake, and Netty's draft 7 and 8 handshakers do
     * not look at the {@code Upgrade} value: without this, such a request would become a WebSocket. With HTTP/2
     * cleartext off on this port (io.wsc.http.CleartextHttp2), Vert.x no longer refuses {@code h2c} handshakes itself. An
     * empty or missing {@code Upgrade} is left to the handshakers.
     */
    static boolean namesAnotherProtocol(String upgrade) {
        if (upgrade == null || upgrade.isBlank()) {
            return false;
        }
        for (String protocol : upgrade.split(",")) {
            if (protocol.trim().equalsIgnoreCase("websocket")) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when the client offers {@code wsc.v1.json}: the only subprotocol the server supports, so the handshake
     * selects it exactly when it is offered.
     */
    static boolean asksForJson(HttpServerRequest request) {
        for (String header : request.headers().getAll("Sec-WebSocket-Protocol")) {
            for (String offered : header.split(",")) {
                if (offered.trim().equals(JsonFrames.SUBPROTOCOL)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Uni<CheckResult> reject(Refusal refusal) {
        return CheckResult.rejectUpgrade(refusal.status());
    }
}
