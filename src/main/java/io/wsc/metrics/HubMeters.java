package io.wsc.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.PresenceFeed;

/** The hub's own counts, read when metrics are scraped. */
@ApplicationScoped
public class HubMeters {

    void bind(@Observes StartupEvent started, ChannelHub hub, PresenceFeed presence, MeterRegistry registry) {
        FunctionCounter.builder("wsc.presence.events", presence, PresenceFeed::sentEvents)
                .description("Presence events (join, leave) sent to a channel's watchers on this node")
                .tag("outcome", "sent").register(registry);
        FunctionCounter.builder("wsc.presence.events", presence, PresenceFeed::droppedEvents)
                .description("Presence events (join, leave) sent to a channel's watchers on this node")
                .tag("outcome", "dropped").register(registry);
        Gauge.builder("wsc.connections", hub, ChannelHub::connectionCount)
                .description("Open subscriber connections").register(registry);
        Gauge.builder("wsc.channels", hub, ChannelHub::activeChannelCount)
                .description("Channels with at least one subscriber on this node").register(registry);
        Gauge.builder("wsc.history.bytes", hub, ChannelHub::historyBytes)
                .description("Message bytes kept for resuming subscribers (wsc.history.size)").baseUnit("bytes")
                .register(registry);
        FunctionCounter.builder("wsc.deliveries", hub, ChannelHub::deliveries)
                .description("Messages handed to subscribers (one per subscriber per message)").register(registry);
        FunctionCounter.builder("wsc.delivered.bytes", hub, ChannelHub::deliveredBytes)
                .description("Message bytes handed to subscribers").baseUnit("bytes").register(registry);
        Gauge.builder("wsc.fan.out.queued.bytes", hub, ChannelHub::fanOutQueuedBytes)
                .description("Message bytes queued for subscribers and not yet written to their sockets")
                .baseUnit("bytes").register(registry);
        FunctionCounter.builder("wsc.publishes.paced", hub, ChannelHub::pacedPublishes)
                .description("Publishes answered once written rather than once queued (wsc.fan-out.queue-ahead)")
                .register(registry);
        FunctionCounter.builder("wsc.fan.out.refusals", hub, ChannelHub::fanOutRefusals)
                .description("Publishes refused with 503 as the fan-out was full (wsc.fan-out.max-queued-bytes)")
                .register(registry);
        FunctionCounter.builder("wsc.subscriber.disconnects", hub, ChannelHub::slowSubscriberDisconnects)
                .description("Subscribers dropped by the server").tag("reason", "slow").register(registry);
        FunctionCounter.builder("wsc.subscriber.disconnects", hub, ChannelHub::silentSubscriberDisconnects)
                .description("Subscribers dropped by the server").tag("reason", "silent").register(registry);
    }
}
