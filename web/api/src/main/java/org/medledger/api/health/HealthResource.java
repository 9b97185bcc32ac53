package org.medledger.api.health;

import org.eclipse.microprofile.openapi.annotations.Operation;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.medledger.consensus.LedgerNode;

/**
 * Liveness and readiness for load balancers and operators: {@code UP} (200) when the ledger node
 * answers, {@code DOWN} (503) otherwise. Says nothing about any party or record.
 */
@Path("health")
public class HealthResource {

    @EJB
    LedgerNode ledger;

    /** ABE-CHAIN's pairing: native blst (the server module) or the pure-Java fallback, reported, never DOWN. */
    static jakarta.json.JsonObjectBuilder pairing() {
        org.medledger.abe.AbePairing.Status p = org.medledger.abe.AbePairing.status();
        return Json.createObjectBuilder().add("name", "pairing").add("status", "UP")
                .add("implementation", p.implementation()).add("requested", p.requested()).add("fallback", p.fallback());
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Readiness of the API", description = "UP when the database and the ledger answer.")
    public Response health() {
        boolean up;
        long size = -1;
        try {
            size = ledger.latestTreeHead().map(h -> h.treeSize()).orElse(0L);
            up = true;
        } catch (RuntimeException e) {
            up = false;
        }
        return Response.status(up ? 200 : 503).type(MediaType.APPLICATION_JSON_TYPE).entity(Json.createObjectBuilder()
                .add("status", up ? "UP" : "DOWN").add("checks", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("name", "ledger").add("status", up ? "UP" : "DOWN")
                                .add("treeSize", size))
                        .add(pairing()))
                .build().toString()).build();
    }
}
