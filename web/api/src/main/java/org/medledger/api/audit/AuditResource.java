package org.medledger.api.audit;

import org.eclipse.microprofile.openapi.annotations.Operation;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.medledger.audit.EntryProof;
import org.medledger.audit.LedgerAudit;
import org.medledger.consensus.LedgerNode;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.merkle.ConsistencyProof;
import org.medledger.platform.DomainException;

/**
 * A patient's own audit: every access entry about the caller's records, each with its full ledger
 * transaction and an inclusion proof against the latest producer-signed tree head, plus the
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
        String patient = security.getUserPrincipal().getName();
        SignedTreeHead sth = ledger.latestTreeHead().orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND,
                "EMPTY_LEDGER", "the ledger has no block yet"));
        long size = sth.treeSize();
        if (since < 0 || since > size) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_TREE_SIZE",
                    "since must be between 0 and the current tree size " + size);
        }
        Base64.Encoder b64 = Base64.getEncoder();
        JsonArrayBuilder entries = Json.createArrayBuilder();
        // the same entries and proofs the portal's patient page shows: one rule, in LedgerAudit
        for (EntryProof e : audit.ownAccessProofs(size)) {
            JsonArrayBuilder path = Json.createArrayBuilder();
            e.path().forEach(d -> path.add(HexFormat.of().formatHex(d)));
            entries.add(Json.createObjectBuilder()
                    .add("logIndex", e.logIndex())
                    .add("transaction", b64.encodeToString(e.transaction()))
                    .add("inclusionPath", path));
        }
        JsonObjectBuilder out = Json.createObjectBuilder()
                .add("treeHead", Base64.getEncoder().encodeToString(sth.encode()))
                .add("treeSize", size)
                .add("anchors", b64.encodeToString(ledger.anchors().encode()))
                .add("entries", entries);
        if (since > 0) {
            ConsistencyProof c = ledger.consistencyProof(since, size);
            out.add("consistency", Json.createObjectBuilder().add("firstSize", since).add("secondSize", size)
                    .add("path", hexes(c.path())));
        }
        return Response.ok(out.build().toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static JsonArrayBuilder hexes(List<Digest> path) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (Digest d : path) {
            a.add(d.hex());
        }
        return a;
    }
}
