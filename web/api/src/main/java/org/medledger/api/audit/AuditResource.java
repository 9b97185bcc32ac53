package org.medledger.api.audit;

import org.eclipse.microprofile.openapi.annotations.Operation;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.medledger.audit.LedgerAudit;
import org.medledger.api.ledger.ProvenEntries;
import org.medledger.consensus.LedgerNode;
import org.medledger.platform.DomainException;

/**
 * A patient's own audit: every access entry about the caller's records, each with its full ledger
 * transaction and an inclusion proof against the latest producer-signed (in a consortium:
 * quorum-witnessed) tree head ({@link ProvenEntries}), plus the
 * consistency proof from the tree head the patient saw last ({@code since}) to this one and the
 * ledger's trust anchors. The device verifies all of it itself; nothing here asks to be trusted.
 */
@Path("audit")
public class AuditResource {

    @EJB
    LedgerNode ledger;

    @EJB
    LedgerAudit audit;

    @GET
    @Path("accesses")
    @RolesAllowed("patient")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every access to the caller's records, with proofs", description = "The patient's access entries since a tree size, each with an inclusion proof against a signed tree head and the consistency proof to the latest head, for the client to verify itself. Role patient.")
    public Response accesses(@QueryParam("since") @DefaultValue("0") long since, @Context SecurityContext security)
            throws DomainException {
        // the same entries and proofs the portal's patient page shows: one rule, in LedgerAudit
        return ProvenEntries.answer(ledger, since, audit::ownAccessProofs);
    }
}
