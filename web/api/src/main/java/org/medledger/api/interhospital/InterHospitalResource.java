package org.medledger.api.interhospital;

import jakarta.annotation.security.PermitAll;
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
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.medledger.api.JsonRequests;
import org.medledger.api.problem.BadRequest;
import org.medledger.interhospital.InterHospitalKeyRenewal;
import org.medledger.interhospital.InterHospitalService;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.platform.DomainException;
import org.medledger.platform.Refusals;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.interhospital.HandshakeConfirm;
import org.medledger.protocol.interhospital.HandshakeHello;
import org.medledger.protocol.interhospital.InterHospitalRoles;
import org.medledger.protocol.interhospital.ReceivedRecord;

/**
 * INTER-HOSPITAL (seed 002) over HTTP. Protocol messages travel as {@code {"message": base64}};
 * the bearer token decides role and identity (a patient's visit, a doctor's diagnosis or
 * referral fetch, a hospital administrator's registration). The hospital-to-hospital endpoints
 * under {@code peer/} carry no token: the requesting hospital is authenticated by the handshake
 * ({@code CHK_AB} under its implicit key) and the release by the patient's signature.
 */
@Path("inter-hospital")
public class InterHospitalResource {

    @EJB
    org.medledger.interhospital.ConsortiumAuthority authority;

    @EJB
    org.medledger.interhospital.AuthorityDesk desk;

    static final Set<String> MESSAGE = Set.of("message");
    static final CurveProfile CURVE = CurveProfile.p256();

    @EJB
    InterHospitalService service;

    // ---- the blockchain center ----

    /** Registers a hospital served by this server (seed 002, §3.5); {@code hains} on the ledger. */
    @POST
    @Path("hospitals")
    @RolesAllowed("hospital-admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response registerHospital(String body, @Context SecurityContext security) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("hospitalId"));
        InterHospitalService.Registered r = service.registerHospital(JsonRequests.string(o, "hospitalId"),
                security.getUserPrincipal().getName());
        return created(Json.createObjectBuilder().add("hospitalId", r.hospitalId()).add("rH", b64(r.rH()))
                .add("ledgerLogIndex", r.ledgerLogIndex()).build());
    }

    /**
     * A patient registers itself with its own keys (seed 002, §3.4; erratum 1):
     * {@code {"signingKey", "kemKey", "ledgerKey"}} → {@code (R_PAT, S_PAT)} and the certified entry.
     */
    @POST
    @Path("patients/{patientId}/registration")
    @RolesAllowed("patient")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response registerPatient(@PathParam("patientId") String patientId, String body, @Context SecurityContext security)
            throws DomainException {
        requireId(patientId);
        if (!security.getUserPrincipal().getName().equals(patientId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY", "a patient registers only itself");
        }
        JsonObject o = JsonRequests.object(body, Set.of("signingKey", "kemKey", "ledgerKey"));
        InterHospitalService.PatientRegistered r = service.registerPatient(patientId, JsonRequests.base64(o, "signingKey"),
                JsonRequests.base64(o, "kemKey"), JsonRequests.base64(o, "ledgerKey"));
        byte[] s = r.grant().sX().encoded();
        try {
            return Response.status(201).entity(Json.createObjectBuilder().add("patientId", patientId)
                            .add("rPat", b64(CURVE.encodePoint(r.grant().rX()))).add("sPat", b64(s))
                            .add("entry", b64(r.grant().entry().encode())).add("ledgerLogIndex", r.ledgerLogIndex()).build().toString())
                    .type(MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore()).build();
        } finally {
            java.util.Arrays.fill(s, (byte) 0);
            r.grant().sX().destroy();
        }
    }

    // ---- partial key renewal after a KGC master key rotation (docs/protocols/kgc-key-rotation.md) ----

    @EJB
    InterHospitalKeyRenewal renewal;

    static final Set<String> RENEWAL_FIELDS = Set.of("kgcKeyId", "proofTime", "proof");

    /**
     * A patient renews its partial key under the current KGC key id: {@code kgcKeyId} the key id of
     * the one it holds, {@code proof} its signature by {@code S_PAT} ({@code PartialKeyRenewal}) at
     * {@code proofTime} → the fresh {@code (R_PAT, S_PAT)} and the re-certified entry.
     */
    @POST
    @Path("patients/{patientId}/registration/renewal")
    @RolesAllowed("patient")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response renewPatient(@PathParam("patientId") String patientId, String body) throws DomainException {
        requireId(patientId);
        JsonObject o = JsonRequests.object(body, RENEWAL_FIELDS);
        Instant at;
        try {
            at = Instant.parse(JsonRequests.string(o, "proofTime"));
        } catch (java.time.format.DateTimeParseException e) {
            throw new BadRequest("INVALID_FIELD", "proofTime must be an ISO-8601 instant");
        }
        InterHospitalKeyRenewal.PatientRenewed r = renewal.renewPatient(patientId, JsonRequests.string(o, "kgcKeyId"), at,
                JsonRequests.base64(o, "proof"));
        byte[] s = r.grant().sX().encoded();
        try {
            return Response.status(201).entity(Json.createObjectBuilder().add("patientId", patientId)
                            .add("rPat", b64(CURVE.encodePoint(r.grant().rX()))).add("sPat", b64(s))
                            .add("entry", b64(r.grant().entry().encode())).add("kgcPublicKey", b64(r.kgcPublicKey()))
                            .add("kgcKeyId", r.kgcKeyId()).add("previousKeyId", r.previousKeyId()).add("logIndex", r.logIndex())
                            .build().toString())
                    .type(MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore()).build();
        } finally {
            java.util.Arrays.fill(s, (byte) 0);
            r.grant().sX().destroy();
        }
    }

    /** A patient's partial key: its point, its key id when known here, the superseded ones. */
    @GET
    @Path("patients/{patientId}/registration")
    @RolesAllowed({"patient", "kgc-operator", "auditor"})
    @Produces(MediaType.APPLICATION_JSON)
    public Response patientPartialKey(@PathParam("patientId") String patientId) throws DomainException {
        requireId(patientId);
        return ok(partialKey("patientId", renewal.patientState(patientId)));
    }

    /** A hospital administrator renews the INTER-HOSPITAL partial key of its hospital served here. */
    @POST
    @Path("hospitals/{hospitalId}/partial-key/renewal")
    @RolesAllowed("hospital-admin")
    @Produces(MediaType.APPLICATION_JSON)
    public Response renewHospital(@PathParam("hospitalId") String hospitalId, @Context SecurityContext security)
            throws DomainException {
        requireId(hospitalId);
        InterHospitalKeyRenewal.HospitalRenewed r = renewal.renewHospital(hospitalId, security.getUserPrincipal().getName());
        return created(Json.createObjectBuilder().add("hospitalId", r.hospitalId()).add("kgcKeyId", r.kgcKeyId())
                .add("previousKeyId", r.previousKeyId()).add("logIndex", r.logIndex()).build());
    }

    /** Under which KGC key id a hospital's partial key was issued (current or renewal due) and the superseded ones. */
    @GET
    @Path("hospitals/{hospitalId}/partial-key")
    @RolesAllowed({"hospital-admin", "kgc-operator", "auditor"})
    @Produces(MediaType.APPLICATION_JSON)
    public Response hospitalPartialKey(@PathParam("hospitalId") String hospitalId) throws DomainException {
        requireId(hospitalId);
        return ok(partialKey("hospitalId", renewal.hospitalState(hospitalId)));
    }

    private static JsonObject partialKey(String idField, InterHospitalKeyRenewal.State st) {
        var current = Json.createObjectBuilder().add("r", b64(st.r())).add("state", st.kgcKeyId() == null ? "unknown"
                : st.current() ? "current" : "renewal due");
        if (st.kgcKeyId() != null) {
            current.add("kgcKeyId", st.kgcKeyId());
        }
        JsonArrayBuilder keys = Json.createArrayBuilder().add(current);
        for (int i = st.superseded().size() - 1; i >= 0; i--) {
            var k = st.superseded().get(i);
            keys.add(Json.createObjectBuilder().add("kgcKeyId", k.kgcKeyId()).add("r", k.rBase64()).add("state", "superseded")
                    .add("supersededBy", k.supersededBy()).add("supersededAt", Instant.ofEpochMilli(k.supersededAt()).toString())
                    .add("logIndex", k.ledgerIndex()));
        }
        var o = Json.createObjectBuilder().add(idField, st.partyId());
        if (st.kgcKeyId() != null) {
            o.add("kgcKeyId", st.kgcKeyId());
        }
        return o.add("keys", keys).build();
    }

    /** A center-certified INTER-HOSPITAL directory entry ({@code patient} or {@code hospital}). */
    @GET
    @Path("directory/{role}/{partyId}")
    @RolesAllowed({"doctor", "patient", "hospital-admin", "auditor", "kgc-operator"})
    @Produces(MediaType.APPLICATION_JSON)
    public Response entry(@PathParam("role") String role, @PathParam("partyId") String partyId) throws DomainException {
        if (!role.equals(InterHospitalRoles.PATIENT) && !role.equals(InterHospitalRoles.HOSPITAL)) {
            throw new BadRequest("INVALID_ROLE", "role must be patient or hospital");
        }
        requireId(partyId);
        DirectoryEntry e = service.entry(role, partyId).orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND,
                "UNKNOWN_PARTY", "no directory entry for this " + role));
        return ok(Json.createObjectBuilder().add("role", role).add("partyId", partyId).add("entry", b64(e.encode())).build());
    }

    /** {@code hachk}: whether the ledger has hospital {@code hospitalId} ({@code hains}). */
    @GET
    @Path("ledger/hospitals/{hospitalId}")
    @RolesAllowed({"doctor", "patient", "hospital-admin", "auditor", "kgc-operator"})
    @Produces(MediaType.APPLICATION_JSON)
    public Response hospitalCheck(@PathParam("hospitalId") String hospitalId) throws DomainException {
        requireId(hospitalId);
        return ok(Json.createObjectBuilder().add("hospitalId", hospitalId).add("holds", service.hospitalOnLedger(hospitalId)).build());
    }

    // ---- a patient's visit ----

    /** Visit step 1 → 2 (seed 002, eq. 14–20): the patient's hello → the hospital's challenge and the visit's session id. */
    @POST
    @Path("hospitals/{hospitalId}/visits")
    @RolesAllowed("patient")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response openVisit(@PathParam("hospitalId") String hospitalId, String body, @Context SecurityContext security)
            throws DomainException {
        requireId(hospitalId);
        HandshakeHello hello = decode(() -> HandshakeHello.decode(CURVE, message(body)));
        InterHospitalService.Opened o = service.openVisit(hospitalId, hello, security.getUserPrincipal().getName());
        return Response.status(201).entity(Json.createObjectBuilder().add("sessionId", o.sessionId())
                .add("message", b64(o.challenge().encode())).build().toString())
                .type(MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore()).build();
    }

    /** Visit step 3 → 4 (seed 002, eq. 26–29): the patient's confirmation with symptoms, index and any referral. */
    @POST
    @Path("hospitals/{hospitalId}/visits/{sessionId}/confirmation")
    @RolesAllowed("patient")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response confirmVisit(@PathParam("hospitalId") String hospitalId, @PathParam("sessionId") String sessionId, String body,
                                 @Context SecurityContext security) throws DomainException {
        requireId(hospitalId);
        HandshakeConfirm confirm = decode(() -> HandshakeConfirm.decode(CURVE, message(body)));
        return ok(visit(service.confirmVisit(hospitalId, sessionId, confirm, security.getUserPrincipal().getName())).build());
    }

    /** The hospital's visits waiting for a diagnosis. */
    @GET
    @Path("hospitals/{hospitalId}/visits")
    @RolesAllowed("doctor")
    @Produces(MediaType.APPLICATION_JSON)
    public Response openVisits(@PathParam("hospitalId") String hospitalId) throws DomainException {
        requireId(hospitalId);
        JsonArrayBuilder a = Json.createArrayBuilder();
        service.openVisits(hospitalId).forEach(v -> a.add(visit(v)));
        return ok(Json.createObjectBuilder().add("visits", a).build());
    }

    /**
     * The doctor's diagnosis (seed 002, eq. 30–31): {@code {"diagnosisId", "record"}} with the
     * record as base64 of FHIR R4 JSON; {@code mrins}/{@code ptins} on the ledger.
     */
    @POST
    @Path("hospitals/{hospitalId}/visits/{sessionId}/records")
    @RolesAllowed("doctor")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response issueRecord(@PathParam("hospitalId") String hospitalId, @PathParam("sessionId") String sessionId, String body,
                                @Context SecurityContext security) throws DomainException {
        requireId(hospitalId);
        JsonObject o = JsonRequests.object(body, Set.of("diagnosisId", "record"));
        InterHospitalService.Issued i = service.issueRecord(hospitalId, sessionId, JsonRequests.string(o, "diagnosisId"),
                JsonRequests.base64(o, "record"), security.getUserPrincipal().getName());
        return created(Json.createObjectBuilder().add("diagnosisId", i.diagnosisId()).add("recordLogIndex", i.recordLogIndex())
                .add("mappingLogIndex", i.mappingLogIndex()).build());
    }

    /** Visit step 4's message for the patient's device, once the doctor has issued the record. */
    @GET
    @Path("hospitals/{hospitalId}/visits/{sessionId}/delivery")
    @RolesAllowed("patient")
    @Produces(MediaType.APPLICATION_JSON)
    public Response delivery(@PathParam("hospitalId") String hospitalId, @PathParam("sessionId") String sessionId,
                             @Context SecurityContext security) throws DomainException {
        byte[] d = service.delivery(hospitalId, sessionId, security.getUserPrincipal().getName());
        return Response.ok(Json.createObjectBuilder().add("message", b64(d)).build().toString(), MediaType.APPLICATION_JSON_TYPE)
                .cacheControl(noStore()).build();
    }

    /**
     * A referred visit: this hospital fetches the records named by the patient's authorization
     * from the holding hospital (seed 002, eq. 50–69) and shows them to the doctor.
     */
    @POST
    @Path("hospitals/{hospitalId}/visits/{sessionId}/transfers")
    @RolesAllowed("doctor")
    @Produces(MediaType.APPLICATION_JSON)
    public Response fetchReferred(@PathParam("hospitalId") String hospitalId, @PathParam("sessionId") String sessionId,
                                  @Context SecurityContext security) throws DomainException {
        requireId(hospitalId);
        List<ReceivedRecord> got = service.fetchReferredRecords(hospitalId, sessionId, security.getUserPrincipal().getName());
        JsonArrayBuilder a = Json.createArrayBuilder();
        got.forEach(r -> a.add(Json.createObjectBuilder().add("holderId", r.hospitalId()).add("diagnosisId", r.diagnosisId())
                .add("record", b64(r.emr()))));
        return Response.ok(Json.createObjectBuilder().add("records", a).build().toString(), MediaType.APPLICATION_JSON_TYPE)
                .cacheControl(noStore()).build();
    }

    // ---- hospital to hospital ----

    /** At the holding hospital, eq. 50 → 56: the requesting hospital's hello → challenge and session id. */
    @POST
    @Path("peer/hospitals/{hospitalId}/transfers")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response openTransfer(@PathParam("hospitalId") String hospitalId, String body) throws DomainException {
        requireId(hospitalId);
        HandshakeHello hello = decode(() -> HandshakeHello.decode(CURVE, message(body)));
        InterHospitalService.Opened o = service.openTransfer(hospitalId, hello);
        return Response.status(201).entity(Json.createObjectBuilder().add("sessionId", o.sessionId())
                .add("message", b64(o.challenge().encode())).build().toString())
                .type(MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore()).build();
    }

    /** At the holding hospital, eq. 63 → 67: request and authorization → the records, after the access entry is on the ledger. */
    @POST
    @Path("peer/hospitals/{hospitalId}/transfers/{sessionId}/release")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response releaseTransfer(@PathParam("hospitalId") String hospitalId, @PathParam("sessionId") String sessionId, String body)
            throws DomainException {
        requireId(hospitalId);
        HandshakeConfirm confirm = decode(() -> HandshakeConfirm.decode(CURVE, message(body)));
        InterHospitalService.Released r = service.releaseTransfer(hospitalId, sessionId, confirm);
        return Response.ok(Json.createObjectBuilder().add("message", b64(r.transfer().encode())).add("logIndex", r.logIndex())
                .build().toString(), MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore()).build();
    }

    // ---- node to authority (consortium) ----

    /**
     * The authority's center parameters ({@code PK}, the directory certification key), signed with
     * the KGC ledger key that the consortium's membership names: other nodes check the signature
     * against the membership they hold. Public values; 404 {@code NOT_AUTHORITY} elsewhere.
     */
    @GET
    @Path("authority/parameters")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public Response authorityParameters() throws DomainException {
        String[] signed = authority.signedParameters();
        return ok(Json.createObjectBuilder().add("parameters", signed[0]).add("signature", signed[1]).build());
    }

    /**
     * A request of another consortium node to the authority ({@code {"purpose", "request", "signature"}}),
     * signed with that node's certified block-producer key → {@code {"result"}}.
     */
    @POST
    @Path("authority/requests")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response authorityRequest(String body) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("purpose", "request", "signature"));
        byte[] result = desk.handle(JsonRequests.string(o, "purpose"), JsonRequests.base64(o, "request"),
                JsonRequests.base64(o, "signature"));
        return Response.ok(Json.createObjectBuilder().add("result", b64(result)).build().toString(), MediaType.APPLICATION_JSON_TYPE)
                .cacheControl(noStore()).build();
    }

    // ---- helpers ----

    @FunctionalInterface
    interface Decoder<T> {
        T decode() throws ProtocolException;
    }

    static <T> T decode(Decoder<T> d) throws DomainException {
        try {
            return d.decode();
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
    }

    static jakarta.json.JsonObjectBuilder visit(InterHospitalService.Visit v) {
        return Json.createObjectBuilder().add("sessionId", v.sessionId()).add("hospitalId", v.hospitalId())
                .add("patientId", v.patientId()).add("referral", v.referral()).add("status", v.status()).add("openedAt", v.openedAt());
    }

    static byte[] message(String body) {
        return JsonRequests.base64(JsonRequests.object(body, MESSAGE), "message");
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

    static Response ok(JsonObject o) {
        return Response.ok(o.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    static Response created(JsonObject o) {
        return Response.status(201).entity(o.toString()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
