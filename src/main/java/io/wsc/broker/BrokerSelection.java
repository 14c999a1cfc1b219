package io.wsc.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;
import io.wsc.config.WscConfig;

/** Picks the broker {@code wsc.broker} names; the other is never created (so memory opens no Redis connection). */
@ApplicationScoped
public class BrokerSelection {

    /** A singleton, as the brokers and the hub are: every publish calls them, and a client proxy would sit in between. */
    @Produces
    @Singleton
    Broker broker(WscConfig config, Instance<LocalBroker> memory, Instance<RedisBroker> redis) {
        return config.broker() == BrokerType.REDIS ? redis.get() : memory.get();
    }

    /** Connects at start (not at the first request), so readiness turns UP as soon as the broker is there. */
    void startEarly(@Observes StartupEvent started, Broker broker) {
        broker.isAvailable();
    }
}
