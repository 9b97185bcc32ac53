package org.medledger.api.group;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.util.Base64;
import java.util.Set;

import org.medledger.api.JsonRequests;
import org.medledger.api.problem.BadRequest;
import org.medledger.group.BlockTransformationService;
import org.medledger.group.GroupCircles;
import org.medledger.group.GroupKeyService;
import org.medledger.group.GroupRecordService;
import org.medledger.platform.DomainException;
import org.medledger.protocol.group.Block;

/**
 * GROUP-AGG (seed 004) over HTTP: a patient's care circle, its members' key runs, the block
 * transformation system and the APHR retrieval. Ledger transactions and protocol messages are
 * built and signed on the members' devices and travel base64; the bearer token's identity must
 * be the one inside them.
 */
@Path("group")
public class GroupResource {

    private static final Base64.Encoder B64 = Base64.getEncoder();

    @EJB
    GroupKeyService keys;

    @EJB
    BlockTransformationService bt;

    @EJB
    GroupRecordService records;

    @EJB
    org.medledger.consensus.LedgerNode ledger;

    /** A member registers its Chebyshev public key T_s(x), signed with its ledger key (a family member brings that key). */
    @POST
    @Path("member-keys")
    @RolesAllowed({"patient", "doctor", "family"})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response registerKey(String body, @Context SecurityContext security) throws DomainException {
        String role = security.isUserInRole("doctor") ? "doctor" : security.isUserInRole("patient") ? "patient" : "family";
        JsonObject o = JsonRequests.object(body, role.equals("family") ? Set.of("publicKey", "ledgerKey", "signature")
                : Set.of("publicKey", "signature"));
        GroupCircles.Member m = keys.registerKey(caller(security), role, JsonRequests.base64(o, "publicKey"),
                role.equals("family") ? JsonRequests.base64(o, "ledgerKey") : null, JsonRequests.base64(o, "signature"));
        return created(Json.createObjectBuilder().add("memberId", m.memberId()).add("role", m.role()));
    }

    /** A member's registered Chebyshev key, for the owner who adds it (it compares the fingerprint with the member). */
    @GET
    @Path("member-keys/{memberId}")
    @RolesAllowed("patient")
    @Produces(MediaType.APPLICATION_JSON)
    public Response memberKey(@PathParam("memberId") String memberId) throws DomainException {
        GroupCircles.Member m = keys.memberKey(memberId);
        return ok(Json.createObjectBuilder().add("memberId", m.memberId()).add("role", m.role())
                .add("publicKey", B64.encodeToString(m.publicKey())));
    }

    /** The patient opens its care circle with its first PHR (a signed group-agg.upload). */
    @POST
    @Path("circles")
    @RolesAllowed("patient")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(String body, @Context SecurityContext security) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("groupId", "hospitalId", "transaction"));
        return created(change(keys.create(caller(security), JsonRequests.string(o, "groupId"), JsonRequests.string(o, "hospitalId"),
                JsonRequests.base64(o, "transaction"))));
    }

    /** The circle's current roster (ring order, roles, Chebyshev keys) and the caller's messages of the current key run. */
    @GET
    @Path("circles/{groupId}/run")
    @RolesAllowed({"patient", "doctor", "family"})
    @Produces(MediaType.APPLICATION_JSON)
    public Response run(@PathParam("groupId") String groupId, @Context SecurityContext security) throws DomainException {
        GroupKeyService.RunView v = keys.run(groupId, caller(security));
        JsonArrayBuilder members = Json.createArrayBuilder();
        v.members().forEach(m -> members.add(Json.createObjectBuilder().add("memberId", m.memberId()).add("role", m.role())
                .add("publicKey", B64.encodeToString(m.publicKey()))));
        JsonArrayBuilder messages = Json.createArrayBuilder();
        v.messages().forEach(m -> messages.add(Json.createObjectBuilder().add("kind", m.kind()).add("from", m.from()).add("to", m.to())
                .add("body", B64.encodeToString(m.body()))));
        return ok(Json.createObjectBuilder().add("groupId", v.circle().groupId()).add("ownerId", v.circle().ownerId())
                .add("hospitalId", v.circle().hospitalId()).add("epoch", v.circle().epoch()).add("members", members)
                .add("messages", messages));
    }

    /** One message of the current key run: {epoch, kind, to, body}. */
    @POST
    @Path("circles/{groupId}/run/messages")
    @RolesAllowed({"patient", "doctor", "family"})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response post(@PathParam("groupId") String groupId, String body, @Context SecurityContext security) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("epoch", "kind", "to", "body"));
        keys.post(groupId, caller(security), number(o, "epoch"), JsonRequests.string(o, "kind"), JsonRequests.string(o, "to"),
                JsonRequests.base64(o, "body"));
        return Response.status(202).entity("{}").type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The owner adds a member: a group-agg.group-join transaction signed by the patient. */
    @POST
    @Path("circles/{groupId}/members")
    @RolesAllowed("patient")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response join(@PathParam("groupId") String groupId, String body, @Context SecurityContext security) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("transaction"));
        return created(change(keys.join(groupId, JsonRequests.base64(o, "transaction"), caller(security))));
    }

    /** A member leaves, or the owner removes one: a group-agg.group-leave transaction signed by the leaver or the owner. */
    @POST
    @Path("circles/{groupId}/departures")
    @RolesAllowed({"patient", "doctor", "family"})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response leave(@PathParam("groupId") String groupId, String body, @Context SecurityContext security) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("transaction"));
        return created(change(keys.leave(groupId, JsonRequests.base64(o, "transaction"), caller(security))));
    }

    /** A PHR or APHR by the patient, an EMR by a doctor of the circle: a signed group-agg.upload carrying C_X. */
    @POST
    @Path("circles/{groupId}/uploads")
    @RolesAllowed({"patient", "doctor"})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(@PathParam("groupId") String groupId, String body, @Context SecurityContext security) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("transaction"));
        return created(accepted(bt.accept(groupId, JsonRequests.base64(o, "transaction"), caller(security))));
    }

    /** The circle's healthcare center produces an EHR for the patient: {brief, sensitive} (base64). */
    @POST
    @Path("circles/{groupId}/ehrs")
    @RolesAllowed("hospital-admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response ehr(@PathParam("groupId") String groupId, String body) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("brief", "sensitive"));
        return created(accepted(bt.acceptEhr(groupId, JsonRequests.base64(o, "brief"), JsonRequests.base64(o, "sensitive"))));
    }

    /** The circle's blocks for a current member, after its access entry is on the ledger. */
    @GET
    @Path("circles/{groupId}/records")
    @RolesAllowed({"patient", "doctor", "family"})
    @Produces(MediaType.APPLICATION_JSON)
    public Response records(@PathParam("groupId") String groupId, @Context SecurityContext security) throws DomainException {
        GroupRecordService.Release r = records.records(groupId, caller(security));
        JsonArrayBuilder blocks = Json.createArrayBuilder();
        r.blocks().forEach(b -> blocks.add(block(b.block(), b.logIndex()).add("epoch", b.epoch())));
        return Response.ok(Json.createObjectBuilder().add("blocks", blocks).add("accessLogIndex", r.accessLogIndex()).build().toString())
                .type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
    }

    /**
     * The circle's entries on the ledger for a current member to verify: every membership change
     * and upload as the signed transaction with its inclusion proof, the signed tree head and the
     * ledger's trust anchors.
     */
    @GET
    @Path("circles/{groupId}/ledger")
    @RolesAllowed({"patient", "doctor", "family"})
    @Produces(MediaType.APPLICATION_JSON)
    public Response ledger(@PathParam("groupId") String groupId, @Context SecurityContext security) throws DomainException {
        java.util.List<Long> indexes = records.ledgerEntries(groupId, caller(security));
        return org.medledger.api.ledger.ProvenEntries.answer(ledger, 0, org.medledger.api.ledger.ProvenEntries.at(ledger, indexes));
    }

    private static JsonObjectBuilder change(GroupKeyService.Change c) {
        return Json.createObjectBuilder().add("groupId", c.groupId()).add("epoch", c.epoch()).add("logIndex", c.logIndex());
    }

    private static JsonObjectBuilder accepted(BlockTransformationService.Accepted a) {
        return block(a.block(), a.logIndex());
    }

    private static JsonObjectBuilder block(Block b, long logIndex) {
        return Json.createObjectBuilder().add("number", b.number()).add("blockId", B64.encodeToString(b.blockId()))
                .add("previousId", B64.encodeToString(b.previousId())).add("nonce", b.nonce()).add("blockTime", b.blockTimestamp())
                .add("record", B64.encodeToString(b.record().toBytes())).add("logIndex", logIndex);
    }

    private static long number(JsonObject o, String name) {
        if (!(o.get(name) instanceof JsonNumber n) || !n.isIntegral()) {
            throw new BadRequest("INVALID_FIELD", name + " must be an integer");
        }
        try {
            return n.longValueExact();
        } catch (ArithmeticException e) {
            throw new BadRequest("INVALID_FIELD", name + " is out of range");
        }
    }

    private static String caller(SecurityContext security) {
        return security.getUserPrincipal().getName();
    }

    private static Response created(JsonObjectBuilder b) {
        return Response.status(201).entity(b.build().toString()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Response ok(JsonObjectBuilder b) {
        return Response.ok(b.build().toString()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
