package io.wsc.http;

import java.lang.reflect.Field;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.quarkus.value.registry.ValueRegistry;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;
import io.wsc.config.WscConfig;
import io.wsc.metrics.WscMetrics;

/**
 * Puts the {@link ConnectionGate} into the public port's listening socket once Quarkus has opened it. Neither Quarkus
 * nor Vert.x offers a hook that runs when a connection opens (Vert.x's {@code connectionHandler} runs after the
 * request's headers when HTTP/2 cleartext is on, and Quarkus keeps its server to itself), so the listening channel is
 * taken from Vert.x's table of listening servers: one private field, checked at start-up, which fails loudly if a
 * Vert.x upgrade renames it. Connections accepted in the few milliseconds before this runs keep Vert.x's idle timeout.
 */
@ApplicationScoped
public class ConnectionHardening {

    private static final Logger LOG = Logger.getLogger(ConnectionHardening.class);

    private final Vertx vertx;
    private final ValueRegistry ports;
    private final ConnectionGate gate;

    ConnectionHardening(Vertx vertx, ValueRegistry ports, WscConfig config, WscMetrics metrics) {
        this.vertx = vertx;
        this.ports = ports;
        AddressCounts perAddress = config.maxConnectionsPerAddress().isPresent()
                ? new AddressCounts(config.maxConnectionsPerAddress().getAsInt())
                : null;
        this.gate = new ConnectionGate(HttpTimeouts.of(config.http()), perAddress, metrics);
    }

    void install(@ObservesAsync HttpServerStart started) {
        // The port Quarkus bound (the event's options may say 0 or -1: a random port), not the management port.
        int port = ports.get(io.quarkus.vertx.http.HttpServer.HTTP_SERVER).getPort();
        boolean found = false;
        for (HttpServerImpl server : ((VertxInternal) vertx).sharedHttpServers().values()) {
            if (server.actualPort() == port) {
                found = true;
                Channel listening = listeningChannel(server);
                listening.eventLoop().execute(() -> {
                    if (listening.pipeline().get(ConnectionGate.NAME) != null) {
                        listening.pipeline().remove(ConnectionGate.NAME); // dev mode: a restart's new beans
                    }
                    listening.pipeline().addFirst(ConnectionGate.NAME, gate);
                });
            }
        }
        if (!found) {
            LOG.warnf("No listening socket found for port %d: HTTP timeouts and wsc.max-connections-per-address are off",
                    port);
        }
    }

    @SuppressWarnings("unchecked")
    private static Channel listeningChannel(TCPServerBase server) {
        try {
            Field bound = TCPServerBase.class.getDeclaredField("bindFuture");
            bound.setAccessible(true);
            return ((Future<Channel>) bound.get(server)).result();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot reach Vert.x's listening socket to install the HTTP timeouts", e);
        }
    }
}
