package io.wsc.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import io.quarkus.runtime.StartupEvent;
import io.wsc.config.WscConfig;

/** Picks the broker {@code wsc.broker} names; the other is never created (so memory opens no Redis connection). */
@ApplicationScoped
public class BrokerSelection {

    @Produces
    @ApplicationScoped
    Broker broker(WscConfig config, Instance<LocalBroker> memory, Instance<RedisBroker> redis) {
        return config.broker() == BrokerType.REDIS ? redis.get() : memory.get();
    }

    /** Connects at start (not at the first request), so readiness turns UP as soon as the broker is there. */
    void startEarly(@Observes StartupEvent started, Broker broker) {
        broker.isAvailable();
    }
}
