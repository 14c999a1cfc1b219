package io.wsc.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Counts every publish by the status it was answered with, wherever the answer came from (the size limit, the key
 * check, the resource, Quarkus itself), by watching the end of each POST.
 */
@ApplicationScoped
public class PublishOutcomes {

    private final WscMetrics metrics;

    PublishOutcomes(WscMetrics metrics) {
        this.metrics = metrics;
    }

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 10).handler(this::watch);
    }

    private void watch(RoutingContext context) {
        if (context.request().method() == HttpMethod.POST) {
            context.addEndHandler(ended -> metrics.published(context.response().getStatusCode()));
        }
        context.next();
    }
}
