package org.medledger.api.abe;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

import org.medledger.abe.AbeChainService;
import org.medledger.abe.AbeKgcService;
import org.medledger.abe.AbePairing;
import org.medledger.api.JsonRequests;
import org.medledger.api.problem.BadRequest;
import org.medledger.api.problem.Problem;
import org.medledger.emrauth.PublicCloudService;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.emrauth.EmrAuthRoles;

/**
 * ABE-CHAIN (seed 003) over HTTP. Protocol objects travel as base64 of their labelled encodings,
 * built and checked on the devices; the bearer token decides the role, the identity and — for
 * data consumers — the attributes.
 */
@Path("abe-chain")
public class AbeChainResource {

    static final Pattern CONTENT_ID = Pattern.compile("[0-9a-f]{64}");

    @EJB
    AbeKgcService kgc;

    @EJB
    AbeChainService chain;

    @EJB
    PublicCloudService pc;

    /** PP = (g1, g2, g1^a, g2^a, e(g1,g2)^α) and the pairing implementation in use. */
    @GET
    @Path("public-parameters")
    @RolesAllowed({"patient", "insurer", "researcher", "hospital-admin", "auditor", "kgc-operator", "doctor"})
    @Produces(MediaType.APPLICATION_JSON)
    public Response publicParameters() throws DomainException {
        return json(Json.createObjectBuilder().add("curve", "BLS12-381")
                .add("publicParameters", b64(kgc.publicParameters().toBytes()))
                .add("pairing", AbePairing.status().implementation()).build());
    }

    /**
     * KeyGen_ATT for the caller, with the attributes of its token ({@code {"kemKey"}}: a P-256
     * key the key is HPKE-sealed to).
     */
    @POST
    @Path("keys/attributes")
    @RolesAllowed({"insurer", "researcher"})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response attributeKey(String body, @Context HttpHeaders headers, @Context SecurityContext security)
            throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("kemKey"));
        AbeKgcService.DeliveredKey k = kgc.issueAttributeKey(caller(security), AbeAttributes.of(headers, security),
                JsonRequests.base64(o, "kemKey"));
        return delivered(k);
    }

    /** KeyGen_ID for the calling patient, sealed to the KEM key certified in its directory entry. */
    @POST
    @Path("keys/identity")
    @RolesAllowed("patient")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response identityKey(String body, @Context SecurityContext security) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("kemKey"));
        String id = caller(security);
        var certified = pc.entry(EmrAuthRoles.PATIENT, id).map(DirectoryEntry::kemKey);
        return delivered(kgc.issueIdentityKey(id, JsonRequests.base64(o, "kemKey"), certified));
    }

    /** Fig. 3 step 1: {@code {"letter", "transaction"}} — the IBS-signed letter and the patient's own ledger transaction. */
    @POST
    @Path("letters")
    @RolesAllowed("patient")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response letter(String body, @Context SecurityContext security) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("letter", "transaction"));
        AbeChainService.Admitted a = chain.submitLetter(JsonRequests.base64(o, "letter"), JsonRequests.base64(o, "transaction"),
                caller(security));
        return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE).entity(Json.createObjectBuilder()
                .add("letterId", a.letterId()).add("logIndex", a.logIndex()).build().toString()).build();
    }

    /** Fig. 3 steps 2–5 at a hospital served here: {@code {"letterId", "record"}} (FHIR R4 JSON, base64). */
    @POST
    @Path("hospitals/{hospitalId}/records")
    @RolesAllowed("hospital-admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response store(@PathParam("hospitalId") String hospitalId, String body, @Context SecurityContext security)
            throws DomainException {
        requireId(hospitalId);
        JsonObject o = JsonRequests.object(body, Set.of("letterId", "record"));
        String letterId = contentId(JsonRequests.string(o, "letterId"));
        AbeChainService.Stored s = chain.storeRecord(hospitalId, letterId, JsonRequests.base64(o, "record"), caller(security));
        return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE).entity(Json.createObjectBuilder()
                .add("descriptorId", s.descriptorId()).add("letterId", s.letterId())
                .add("address", AbeChainService.address(s.descriptorId()))
                .add("descriptorLogIndex", s.descriptorLogIndex()).add("addressLogIndex", s.addressLogIndex())
                .build().toString()).build();
    }

    /** The endorsed records in the medical cloud (public descriptions), optionally of one patient. */
    @GET
    @Path("records")
    @RolesAllowed({"insurer", "researcher", "patient", "auditor"})
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("patientId") String patientId, @Context SecurityContext security) {
        if (patientId != null) {
            requireId(patientId);
        }
        String filter = patientId;
        if (security.isUserInRole("patient") && !security.isUserInRole("insurer") && !security.isUserInRole("researcher")
                && !security.isUserInRole("auditor")) {
            filter = caller(security);   // a patient sees only its own records
        }
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (AbeChainService.Listed l : chain.list(filter)) {
            a.add(Json.createObjectBuilder().add("descriptorId", l.descriptorId()).add("letterId", l.letterId())
                    .add("patientId", l.patientId()).add("hospitalId", l.hospitalId()).add("recordId", l.recordId())
                    .add("summary", l.summary()).add("policy", l.policy()).add("address", AbeChainService.address(l.descriptorId()))
                    .add("descriptorLogIndex", l.descriptorLogIndex()).add("addressLogIndex", l.addressLogIndex()));
        }
        return json(Json.createObjectBuilder().add("records", a).build());
    }

    /**
     * Fig. 3 step 6: the endorsed record (letter and hospital submission, encoded) for a data
     * consumer whose token's attributes satisfy its policy, after the access entry is on the
     * ledger. A refusal is on the ledger too: 403 problem {@code POLICY_NOT_SATISFIED} with its {@code logIndex}.
     */
    @POST
    @Path("records/{descriptorId}/release")
    @RolesAllowed({"insurer", "researcher"})
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response release(@PathParam("descriptorId") String descriptorId, @Context HttpHeaders headers,
                            @Context SecurityContext security) throws DomainException {
        contentId(descriptorId);
        AbeChainService.Release r = chain.release(descriptorId, caller(security), AbeAttributes.of(headers, security));
        if (r.released()) {
            return Response.ok(Json.createObjectBuilder().add("descriptorId", descriptorId).add("letter", b64(r.letter()))
                    .add("submission", b64(r.submission())).add("logIndex", r.logIndex()).build().toString(),
                    MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore()).build();
        }
        JsonObject problem = Json.createObjectBuilder().add("type", "urn:medledger:problem:policy-not-satisfied")
                .add("title", "Forbidden").add("status", 403)
                .add("detail", "the caller's attributes do not satisfy the record's policy")
                .add("code", r.reason()).add("logIndex", r.logIndex()).build();
        return Response.status(403).type(Problem.PROBLEM_JSON).entity(problem.toString()).build();
    }

    private Response delivered(AbeKgcService.DeliveredKey k) {
        JsonArrayBuilder attrs = Json.createArrayBuilder();
        k.attributes().stream().sorted().forEach(attrs::add);
        return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore())
                .entity(Json.createObjectBuilder().add("holderId", k.holderId()).add("kind", k.kind())
                        .add("attributes", attrs).add("sealedKey", b64(k.sealed())).build().toString()).build();
    }

    static String caller(SecurityContext security) {
        return security.getUserPrincipal().getName();
    }

    static String contentId(String id) {
        if (id == null || !CONTENT_ID.matcher(id).matches()) {
            throw new BadRequest("INVALID_ID", "ids are 64 lowercase hex characters");
        }
        return id;
    }

    static void requireId(String id) {
        if (id == null || !KgcRegistrationService.PARTY_ID.matcher(id).matches()) {
            throw new BadRequest("INVALID_PARTY_ID", "malformed party id");
        }
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static CacheControl noStore() {
        CacheControl c = new CacheControl();
        c.setNoStore(true);
        return c;
    }

    static Response json(JsonObject o) {
        return Response.ok(o.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
