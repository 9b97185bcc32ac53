package org.medledger.api.consortium;

import jakarta.annotation.security.RolesAllowed;
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
import org.medledger.consensus.ConsortiumMembers;

/** The consortium's members as this node sees them ({@link ConsortiumMembers}); a single node says so. */
@Path("consortium")
public class ConsortiumResource {

    @EJB
    ConsortiumMembers members;

    @GET
    @Path("members")
    @RolesAllowed({"hospital-admin", "auditor", "network-admin"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The consortium's members as this node sees them",
            description = "Each hospital with its block-producer key fingerprint, certificate end, leader, refused-witness and "
                    + "co-signature state and API reachability; consortium false on a single node.")
    public Response members() {
        ConsortiumMembers.View v = members.view();
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (ConsortiumMembers.Member m : v.members()) {
            JsonObjectBuilder o = Json.createObjectBuilder().add("id", m.id()).add("self", m.self()).add("leader", m.leader())
                    .add("fingerprint", m.fingerprint()).add("refused", m.refused()).add("reachability", m.reachability());
            if (m.certificateNotAfter() != null) {
                o.add("certificateNotAfter", m.certificateNotAfter().toString());
            }
            if (m.cosignedAt() != null) {
                o.add("cosignedAt", m.cosignedAt().toString());
            }
            a.add(o);
        }
        JsonObjectBuilder b = Json.createObjectBuilder().add("consortium", v.consortium()).add("self", v.self())
                .add("authority", v.authority()).add("quorum", v.quorum()).add("witnessedSize", v.witnessedSize()).add("members", a);
        if (v.witnessedAt() != null) {
            b.add("witnessedAt", v.witnessedAt().toString());
        }
        return Response.ok(b.build().toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
