package org.medledger.api.health;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import org.medledger.health.ServerHealth;
import org.medledger.health.probe.Check;

/**
 * Readiness over the application's own port, for load balancers that cannot reach the management
 * interface: {@code UP} (200) when the database, the ledger node and Keycloak all answer, {@code DOWN}
 * (503) otherwise, with one entry per check. The same checks as the management interface's
 * {@code /health/ready}, and ABE-CHAIN's pairing implementation (reported, never DOWN). Says nothing
 * about any party or record.
 */
@Path("health")
public class HealthResource {

    @EJB
    ServerHealth health;

    /** ABE-CHAIN's pairing: native blst (the server module) or the pure-Java fallback, reported, never DOWN. */
    static jakarta.json.JsonObjectBuilder pairing() {
        org.medledger.abe.AbePairing.Status p = org.medledger.abe.AbePairing.status();
        return Json.createObjectBuilder().add("name", "pairing").add("status", "UP")
                .add("implementation", p.implementation()).add("requested", p.requested()).add("fallback", p.fallback());
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Readiness of the API", description = "UP when the database, the ledger node and Keycloak answer; 503 DOWN naming the failing check otherwise.")
    public Response health() {
        List<Check> checks = health.readiness();
        boolean up = checks.stream().allMatch(Check::up);
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (Check c : checks) {
            JsonObjectBuilder o = Json.createObjectBuilder().add("name", c.name()).add("status", c.up() ? "UP" : "DOWN");
            c.data().forEach((k, v) -> {
                if (v instanceof Number n) {
                    o.add(k, n.longValue());
                } else if (v instanceof Boolean b) {
                    o.add(k, b);
                } else {
                    o.add(k, String.valueOf(v));
                }
            });
            list.add(o);
        }
        // reported beside the checks; the pure-Java fallback is slower, not down
        list.add(pairing());
        return Response.status(up ? 200 : 503).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Json.createObjectBuilder().add("status", up ? "UP" : "DOWN").add("checks", list).build().toString())
                .build();
    }
}
