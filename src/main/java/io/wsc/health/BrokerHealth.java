package io.wsc.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.wsc.broker.Broker;

/**
 * Readiness follows the broker: a node that cannot reach Redis takes no new subscribers or publishes from the load
 * balancer. Liveness does not: a restart would not bring Redis back.
 */
@Readiness
@ApplicationScoped
public class BrokerHealth implements HealthCheck {

    private final Broker broker;

    BrokerHealth(Broker broker) {
        this.broker = broker;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Message broker").status(broker.isAvailable()).build();
    }
}
