package io.wsc.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Every channel request must carry the access key ({@code access-key} header, any case); otherwise 401. */
public class AccessKeyFilter {

    static final String HEADER = "access-key";

    private final AccessKey accessKey;

    AccessKeyFilter(AccessKey accessKey) {
        this.accessKey = accessKey;
    }

    @ServerRequestFilter
    public Response requireAccessKey(ContainerRequestContext request) {
        return accessKey.matches(request.getHeaderString(HEADER)) ? null : ErrorBody.response(401, "Not authorized");
    }
}
