package org.medledger.api.ledger;

import org.eclipse.microprofile.openapi.annotations.Operation;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Base64;

import org.medledger.consensus.LedgerNode;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.member.TrustAnchors;
import org.medledger.platform.DomainException;

/** The ledger as auditors see it: the latest signed tree head, and member status. */
@Path("ledger")
public class LedgerResource {

    @EJB
    LedgerNode ledger;

    /** The producer-signed tree head anyone can hold the ledger to. */
    @GET
    @Path("tree-head")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The ledger's latest signed tree head", description = "Size, root hash and the block producer's signature, for anyone to verify proofs against.")
    public Response treeHead() throws DomainException {
        if (ledger.inConsortium()) {
            return witnessedTreeHead();
        }
        SignedTreeHead sth = ledger.latestTreeHead().orElseThrow(() -> new DomainException(
                DomainException.Kind.NOT_FOUND, "EMPTY_LEDGER", "the ledger has no block yet"));
        return Response.ok(head(sth).build().toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * Consortium mode: the latest tree head that a quorum of hospitals co-signed (it may lag the
     * newest block by a co-signing round), with the co-signatures and the quorum; {@code witnessed}
     * is its canonical encoding for verifiers.
     */
    private Response witnessedTreeHead() throws DomainException {
        org.medledger.consortium.WitnessedTreeHead w = ledger.witnessedHead().orElseThrow(() -> new DomainException(
                DomainException.Kind.UNAVAILABLE, "NOT_WITNESSED", "no tree head has a quorum of hospital co-signatures yet"));
        Base64.Encoder b64 = Base64.getEncoder();
        JsonArrayBuilder cosignatures = Json.createArrayBuilder();
        for (org.medledger.consortium.Cosignature c : w.cosignatures()) {
            cosignatures.add(Json.createObjectBuilder().add("witness", c.witness()).add("timestamp", c.timestamp())
                    .add("signature", b64.encodeToString(c.signature().toArray())));
        }
        return Response.ok(head(w.head())
                .add("quorum", ledger.consortium().orElseThrow().quorum())
                .add("cosignatures", cosignatures)
                .add("witnessed", b64.encodeToString(w.encode()))
                .build().toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static jakarta.json.JsonObjectBuilder head(SignedTreeHead sth) {
        return Json.createObjectBuilder()
                .add("logId", sth.logId())
                .add("treeSize", sth.treeSize())
                .add("rootHash", sth.rootHash().hex())
                .add("timestamp", sth.timestamp())
                .add("signer", sth.signer())
                .add("keyId", sth.keyId().hex())
                .add("signature", Base64.getEncoder().encodeToString(sth.signature().toArray()));
    }

    /**
     * The trust anchors a verifier holds the ledger to: the KGC's ledger key and the producers'
     * KGC-signed member certificates (SEC1 compressed P-256 keys, base64; signatures r||s).
     */
    @GET
    @Path("trust-anchors")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The ledger's trust anchors", description = "The KGC's ledger key and the block producers' member certificates.")
    public Response trustAnchors() {
        TrustAnchors a = ledger.anchors();
        Base64.Encoder b64 = Base64.getEncoder();
        JsonArrayBuilder producers = Json.createArrayBuilder();
        for (MemberCertificate p : a.producers()) {
            producers.add(Json.createObjectBuilder()
                    .add("memberId", p.memberId())
                    .add("role", p.role().name())
                    .add("publicKey", b64.encodeToString(p.publicKey().toArray()))
                    .add("notBefore", p.notBefore())
                    .add("notAfter", p.notAfter())
                    .add("kgcSignature", b64.encodeToString(p.kgcSignature().toArray())));
        }
        return Response.ok(Json.createObjectBuilder()
                .add("kgcId", a.kgcId())
                .add("kgcPublicKey", b64.encodeToString(a.kgcPublicKey().toArray()))
                .add("producers", producers)
                .build().toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * Whether {@code memberId} is a registered and/or revoked ledger member, and the ledger entry
     * that registered its current key: its log index, the function ({@code register}, or
     * {@code reregister} after a revocation) and who asked for it ({@code registeredBy}, signed by
     * the KGC in that transaction).
     */
    @GET
    @Path("members/{memberId}")
    @RolesAllowed({"auditor", "kgc-operator", "hospital-admin"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A ledger member's status", description = "Registered or revoked, and the entry that registered its current key with who asked for it. Roles auditor, kgc-operator, hospital-admin.")
    public Response member(@PathParam("memberId") String memberId) throws DomainException {
        if (memberId == null || !KgcRegistrationService.PARTY_ID.matcher(memberId).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_MEMBER_ID", "malformed member id");
        }
        var record = ledger.state(MemberDirectory.NS_MEMBER, memberId);
        boolean revoked = ledger.isRevoked(memberId);
        var body = Json.createObjectBuilder()
                .add("memberId", memberId)
                .add("registered", record.isPresent())
                .add("revoked", revoked);
        record.ifPresent(v -> {
            long index = v.version() - 1;
            body.add("registrationIndex", index);
            ledger.transaction(index).flatMap(t -> t.tx()).ifPresent(t -> {
                body.add("registration", t.body().function());
                t.body().args().optionalString("registeredBy").ifPresent(by -> body.add("registeredBy", by));
            });
        });
        return Response.ok(body.build().toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
