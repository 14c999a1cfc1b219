package io.wsc.lifecycle;

import java.lang.reflect.Method;
import java.util.List;

import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.arc.profile.IfBuildProfile;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Dev mode only: the channel endpoint ({@code @WebSocket(path = "/*")}) is routed before Quarkus's {@code /q/} router,
 * and websockets-next offers no route order, so it would take the Dev UI's own WebSocket. This route runs first and
 * hands those upgrades to the Dev UI's handler. The handler is found through Vert.x internals; if that ever fails, only
 * the Dev UI loses its live connection, and a warning says so.
 */
@IfBuildProfile("dev")
public class DevUiWebSocketRoute {

    private static final Logger LOG = Logger.getLogger(DevUiWebSocketRoute.class);
    private static final String PATH = "/q/dev-ui/json-rpc-ws";

    private volatile Handler<RoutingContext> devUi;

    void register(@Observes Router router) {
        router.route(PATH).order(-1).handler(context -> {
            if (devUi == null) {
                devUi = find(router);
            }
            if (devUi == null) {
                context.next();
            } else {
                devUi.handle(context);
            }
        });
    }

    /** The Dev UI's handler, registered under the full path's name in the router mounted at {@code /q/}. */
    @SuppressWarnings("unchecked")
    private static Handler<RoutingContext> find(Router router) {
        try {
            for (Route route : router.getRoutes()) {
                Object state = invoke(route, "state");
                Router subRouter = (Router) invoke(state, "getSubRouter");
                if (subRouter == null) {
                    continue;
                }
                for (Route mounted : subRouter.getRoutes()) {
                    if (PATH.equals(mounted.getName())) {
                        List<Handler<RoutingContext>> handlers = (List<Handler<RoutingContext>>) invoke(
                                invoke(mounted, "state"), "getContextHandlers");
                        return handlers.get(handlers.size() - 1);
                    }
                }
            }
            LOG.warn("Dev UI WebSocket route not found; the Dev UI will not connect");
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Dev UI WebSocket not reachable past the channel endpoint: %s", e);
        }
        return null;
    }

    private static Object invoke(Object target, String method) throws ReflectiveOperationException {
        Method m = target.getClass().getDeclaredMethod(method);
        m.setAccessible(true);
        return m.invoke(target);
    }
}
