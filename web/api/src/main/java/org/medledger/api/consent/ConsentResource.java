package org.medledger.api.consent;

import org.eclipse.microprofile.openapi.annotations.Operation;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.util.Set;

import org.medledger.api.JsonRequests;
import org.medledger.api.ledger.LedgerJson;
import org.medledger.consensus.LedgerRecord;
import org.medledger.consent.ConsentService;
import org.medledger.platform.DomainException;

/**
 * A patient's consent grant or revocation: {@code {"transaction": base64}}, a ledger transaction
 * {@code consent.grant|revoke} that the patient's device signed with the patient's own member key.
 * Returns the ledger receipt.
 */
@Path("consents")
public class ConsentResource {

    @EJB
    ConsentService consents;

    @POST
    @RolesAllowed("patient")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a consent transaction", description = "consent.grant or consent.revoke signed by the patient's own ledger key; the hospital reads it from the ledger at release time. Role patient, for its own records only.")
    public Response submit(String body, @Context SecurityContext security) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("transaction"));
        LedgerRecord r = LedgerRecord.of(consents.submit(JsonRequests.base64(o, "transaction"),
                security.getUserPrincipal().getName()));
        return Response.status(201).entity(LedgerJson.of(r).build().toString()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
