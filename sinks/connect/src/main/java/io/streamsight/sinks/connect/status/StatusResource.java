package io.streamsight.sinks.connect.status;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /streamsight/subscriptions/{name}/stats}: this worker's delivery counters. */
@Path("/streamsight/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

  @GET
  @Path("/{name}/stats")
  public Response stats(@PathParam("name") String name) {
    DeliveryStats.Snapshot s = DeliveryStats.of(name);
    if (s == null) {
      return Response.status(Response.Status.NOT_FOUND)
          .entity(Map.of("error_code", 404, "message", "no task of " + name + " on this worker"))
          .build();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("delivered", s.delivered());
    out.put("filtered", s.filtered());
    out.put("retrying", s.retrying());
    out.put("deadLettered", s.deadLettered());
    if (s.lastError() != null) {
      out.put("lastError", s.lastError().text());
      out.put("lastErrorAt", s.lastError().at().toString());
    }
    return Response.ok(out).build();
  }
}
