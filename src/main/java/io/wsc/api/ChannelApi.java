package io.wsc.api;

import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Publish, stats and disconnect on a channel's URL: the HTTP contract, as JAX-RS and OpenAPI see it. The schemas, examples, the
 * error answers every operation shares and the {@code access-key} scheme are in {@code META-INF/openapi.yaml}.
 * Answers are always JSON, whatever the request's Accept says, so no operation declares what it produces.
 */
@Path("/")
@SecurityRequirement(name = "access-key")
public interface ChannelApi {

    /** Named in the document; the resource reads the channel from the raw path, as curl's raw UTF-8 bytes need. */
    String CHANNEL = "channel";

    @POST
    @Path("{channel: .*}")
    @Operation(operationId = "publish", summary = "Publish a message to every subscriber of the channel",
            description = "The body goes to every subscriber as one frame, unchanged: a text frame (the body must be"
                    + " UTF-8), or a binary one with Content-Type application/octet-stream. With channel parameters,"
                    + " to each of those channels too, each with its own receipt entry.")
    @RequestBody(required = false, content = {
            @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = "application/octet-stream", schema = @Schema(type = SchemaType.STRING,
                    format = "binary")) })
    @Parameter(ref = "moreChannels")
    @APIResponse(responseCode = "201", ref = "Sent")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "NotAuthorized")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "429", ref = "TooManyWrongKeys")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    CompletionStage<Response> publish(@PathParam(CHANNEL) @Parameter(ref = "channel") String channel,
            @Context @Parameter(hidden = true) HttpServerRequest request);

    @GET
    @Path("{channel: .*}")
    @Operation(operationId = "stats", summary = "The channel's subscribers and what was sent to them",
            description = "With the Redis broker, cluster-wide. A channel nobody used answers zeros. HEAD answers the"
                    + " same headers without the body. With ?presence, the channel's identified clients instead.")
    @Parameter(ref = "presence")
    @APIResponse(responseCode = "200", description = "The channel's stats; with ?presence, its clients",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "StatsOrPresence"),
                    examples = { @ExampleObject(name = "stats", ref = "stats"),
                            @ExampleObject(name = "presence", ref = "presence") }))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "NotAuthorized")
    @APIResponse(responseCode = "429", ref = "TooManyWrongKeys")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    Uni<Response> stats(@PathParam(CHANNEL) @Parameter(ref = "channel") String channel,
            @Context @Parameter(hidden = true) HttpServerRequest request);

    @HEAD
    @Path("{channel: .*}")
    @Operation(hidden = true)
    Uni<Response> statsHeaders(@PathParam(CHANNEL) String channel, @Context HttpServerRequest request);

    @DELETE
    @Path("{channel: .*}")
    @Operation(operationId = "disconnect", summary = "Close the channel's subscribers, or one client's connections",
            description = "On every node: WebSockets get close code 4403 (disconnected by the backend), event streams a"
                    + " last disconnected event, then they end; a connection with several channels closes as a whole."
                    + " With ?sub= (on the root path, with subscriber tokens) every connection of that client instead."
                    + " Nothing stops them from subscribing again.")
    @Parameter(ref = "sub")
    @APIResponse(responseCode = "200", description = "Disconnected",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "Disconnected"),
                    examples = { @ExampleObject(name = "channel", ref = "disconnectedChannel"),
                            @ExampleObject(name = "client", ref = "disconnectedClient") }))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "NotAuthorized")
    @APIResponse(responseCode = "429", ref = "TooManyWrongKeys")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    CompletionStage<Response> disconnect(@PathParam(CHANNEL) @Parameter(ref = "channel") String channel,
            @Context @Parameter(hidden = true) HttpServerRequest request);

    /** A channel takes no OPTIONS (no CORS preflight: publishers are backends); answered after the key check. */
    @OPTIONS
    @Path("{channel: .*}")
    @Operation(hidden = true)
    Response options(@PathParam(CHANNEL) String channel);
}
