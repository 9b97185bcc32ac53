package org.medledger.api.emrauth;

import org.eclipse.microprofile.openapi.annotations.Operation;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
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

import java.util.Base64;
import java.util.Set;

import org.medledger.api.JsonRequests;
import org.medledger.api.problem.BadRequest;
import org.medledger.api.problem.Problem;
import org.medledger.emrauth.HospitalCloudService;
import org.medledger.emrauth.PublicCloudService;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.platform.DomainException;
import org.medledger.platform.Refusals;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.emrauth.EmrRequest;
import org.medledger.protocol.emrauth.EmrSearchOutcome;
import org.medledger.protocol.emrauth.EmrSearchRequest;
import org.medledger.protocol.emrauth.EmrVersionSubmission;
import org.medledger.protocol.emrauth.HospitalAccessRequest;

/**
 * EMR-AUTH (seed 000) over HTTP: the server-side parties (public cloud, hospital private clouds)
 * answer protocol messages that the devices build and check themselves. Messages travel as
 * {@code {"message": base64 of the protocol encoding}}; the bearer token decides the role and the
 * identity, which must be the one named inside the message.
 */
@Path("emr-auth")
public class EmrAuthResource {

    private static final jakarta.json.spi.JsonProvider JSON = org.medledger.api.JsonRequests.JSON;

    @jakarta.inject.Inject
    KgcRegistrationService kgcKeys;

    static final Set<String> MESSAGE = Set.of("message");
    /** A 64 KiB FHIR record inside an HPKE ciphertext, base64: well under 256 Ki characters. */
    static final CurveProfile CURVE = CurveProfile.p256();

    @EJB
    PublicCloudService pc;

    @EJB
    HospitalCloudService hospitals;

    // ---- registration and directory ----

    /** Registers a hospital private cloud served by this server (seed 000, eq. 5–7). */
    @POST
    @Path("hospitals")
    @RolesAllowed("hospital-admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a hospital private cloud", description = "EMR-AUTH eq. 5-7 run on the server: the hospital generates its own keys, the KGC certifies them and the hospital becomes a ledger member. Role hospital-admin.")
    public Response registerHospital(String body, @Context SecurityContext security) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("hospitalId"));
        HospitalCloudService.Registered r = hospitals.register(JsonRequests.string(o, "hospitalId"),
                security.getUserPrincipal().getName());
        return Response.status(201).entity(JSON.createObjectBuilder().add("hospitalId", r.hospitalId())
                .add("rHpc1", b64(r.rHpc1())).add("ledgerLogIndex", r.ledgerLogIndex()).build().toString())
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Removes a hospital private cloud from the ledger's members; it can release nothing afterwards. */
    @POST
    @Path("hospitals/{hospitalId}/revocation")
    @RolesAllowed("kgc-operator")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Revoke a hospital's ledger membership", description = "Records member.revoke for the hospital: its access entries are refused from then on, so it releases nothing. Role kgc-operator.")
    public Response revokeHospital(@PathParam("hospitalId") String hospitalId, @Context SecurityContext security)
            throws DomainException {
        requireId(hospitalId);
        long index = hospitals.revokeMembership(hospitalId, security.getUserPrincipal().getName());
        return json(JSON.createObjectBuilder().add("hospitalId", hospitalId).add("logIndex", index).build());
    }

    /** The keys a device pins: {@code PK}, the directory certification key and {@code ID_PC}. */
    @GET
    @Path("trust")
    @RolesAllowed({"doctor", "patient", "hospital-admin", "auditor", "kgc-operator", "insurer", "family"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The public cloud's trust material", description = "The KGC public key and the public cloud's directory certification key a device pins before it runs EMR-AUTH.")
    public Response trust() throws DomainException {
        DirectoryEntry pcEntry = pc.publicCloudEntry();
        return json(JSON.createObjectBuilder()
                .add("curve", CURVE.name())
                .add("certifierKey", b64(pc.certifierKey().encoded()))
                .add("publicCloudId", PublicCloudService.PC_ID)
                .add("publicCloudEntry", b64(pcEntry.encode()))
                .add("kgcKeyId", kgcKeys.publicKey().keyId()) // the current KGC key id (older ones: /kgc/public-key)
                .build());
    }

    /** A KGC-certified directory entry (public; the reader verifies it against the certification key). */
    @GET
    @Path("directory/{role}/{partyId}")
    @RolesAllowed({"doctor", "patient", "hospital-admin", "auditor", "kgc-operator", "insurer", "family"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A party's certified directory entry", description = "The KGC-certified signing and KEM public keys of a patient, doctor or hospital private cloud.")
    public Response entry(@PathParam("role") String role, @PathParam("partyId") String partyId) throws DomainException {
        requireRole(role);
        requireId(partyId);
        if (role.equals(EmrAuthRoles.PUBLIC_CLOUD)) {
            pc.publicCloudEntry();
        }
        DirectoryEntry e = pc.entry(role, partyId).orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND,
                "UNKNOWN_PARTY", "no directory entry for this " + role));
        return json(JSON.createObjectBuilder().add("role", role).add("partyId", partyId).add("entry", b64(e.encode())).build());
    }

    /**
     * A registered patient or doctor has its own public keys certified:
     * {@code {"signingKey", "kemKey"}} (SEC1, base64) and, for a patient, {@code "ledgerKey"}.
     */
    @POST
    @Path("directory/{role}/{partyId}")
    @RolesAllowed({"doctor", "patient"})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Certify a party's own public keys", description = "A registered patient or doctor has the signing and KEM keys its device generated certified; a patient also becomes a ledger member with its own ledger key. Only the party itself, in its own role.")
    public Response certify(@PathParam("role") String role, @PathParam("partyId") String partyId, String body,
                            @Context SecurityContext security) throws DomainException {
        requireRole(role);
        requireId(partyId);
        if (!security.getUserPrincipal().getName().equals(partyId) || !security.isUserInRole(role)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY",
                    "a party certifies only its own keys, in its own role");
        }
        boolean patient = role.equals(EmrAuthRoles.PATIENT);
        JsonObject o = JsonRequests.object(body, patient ? Set.of("signingKey", "kemKey", "ledgerKey")
                : Set.of("signingKey", "kemKey"));
        DirectoryEntry e = pc.certifyParty(role, partyId, JsonRequests.base64(o, "signingKey"),
                JsonRequests.base64(o, "kemKey"), patient ? JsonRequests.base64(o, "ledgerKey") : null,
                security.getUserPrincipal().getName());
        return Response.status(201).entity(JSON.createObjectBuilder().add("role", role).add("partyId", partyId)
                .add("entry", b64(e.encode())).build().toString()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    // ---- EMR search ----

    /** Search step 2 at the public cloud (eq. 27–30): {@code (C_D2, Sig_D2, T_D2)} → {@code (C_C, Sig_C, T_C)}. */
    @POST
    @Path("searches")
    @RolesAllowed("doctor")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "EMR search, step 2 at the public cloud", description = "Eq. 27-30: the doctor's signed search request (C_D2, Sig_D2, T_D2) answered with the sealed index entry (C_C, Sig_C, T_C). Replays and stale messages are refused. Role doctor.")
    public Response search(String body, @Context SecurityContext security) throws DomainException {
        byte[] m = message(body);
        EmrSearchRequest request;
        try {
            request = EmrSearchRequest.decode(CURVE, m);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
        EmrSearchOutcome outcome = pc.search(request, security.getUserPrincipal().getName());
        return json(JSON.createObjectBuilder().add("message", b64(outcome.response().encode())).build());
    }

    /**
     * Search step 4 at the hospital private cloud (eq. 36–41): {@code (C_D3, Sig_D3, T_D3)} →
     * {@code (C_HPC1, Sig_HPC1, T_HPC1)} and the id of the session (sealed, in the database, used once).
     */
    @POST
    @Path("hospitals/{hospitalId}/access-sessions")
    @RolesAllowed("doctor")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "EMR search, step 4 at the hospital", description = "The doctor's access request opens a sealed search session at the hospital private cloud; replays are refused. Role doctor.")
    public Response openAccess(@PathParam("hospitalId") String hospitalId, String body, @Context SecurityContext security)
            throws DomainException {
        requireId(hospitalId);
        byte[] m = message(body);
        HospitalAccessRequest request;
        try {
            request = HospitalAccessRequest.decode(CURVE, m);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
        HospitalCloudService.OpenedSession s = hospitals.openAccess(hospitalId, request, security.getUserPrincipal().getName());
        return Response.status(201).entity(JSON.createObjectBuilder().add("sessionId", s.sessionId())
                .add("message", b64(s.response().encode())).build().toString())
                .type(MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore()).build();
    }

    /**
     * Search step 6 (eq. 46–47): {@code (C_D4, T_D4)} → {@code (C_HPC2, T_HPC2)}, after the access
     * entry is on the ledger. A refusal (no consent, certificate revoked, no record) is also on the
     * ledger: 403/404 problem with the entry's {@code logIndex}.
     */
    @POST
    @Path("hospitals/{hospitalId}/access-sessions/{sessionId}/release")
    @RolesAllowed("doctor")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "EMR search, step 6 at the hospital: release", description = "Checks the patient's consent on the ledger and appends exactly one access entry (allowed or refused) before anything is released; if the append fails nothing is released. Role doctor.")
    public Response release(@PathParam("hospitalId") String hospitalId, @PathParam("sessionId") String sessionId,
                            String body, @Context SecurityContext security) throws DomainException {
        requireId(hospitalId);
        byte[] m = message(body);
        EmrRequest request;
        try {
            request = EmrRequest.decode(CURVE, m);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
        HospitalCloudService.ReleaseOutcome r = hospitals.release(hospitalId, sessionId, request,
                security.getUserPrincipal().getName());
        if (r.released()) {
            return Response.ok(JSON.createObjectBuilder().add("message", b64(r.delivery().encode()))
                    .add("logIndex", r.logIndex()).build().toString(), MediaType.APPLICATION_JSON_TYPE)
                    .cacheControl(noStore()).build();
        }
        int status = r.reason().equals("UNKNOWN_PARTY") ? 404 : 403;
        String detail = switch (r.reason()) {
            case "NOT_AUTHORIZED" -> "the patient's consent for this doctor is not on the ledger";
            case "CERT_REVOKED" -> "the doctor's certificate is revoked";
            case "UNKNOWN_PARTY" -> "no record of this patient at this hospital";
            default -> "the release was refused (" + r.reason() + ")";
        };
        JsonObject problem = JSON.createObjectBuilder()
                .add("type", "urn:medledger:problem:" + r.reason().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                .add("title", status == 404 ? "Not found" : "Forbidden").add("status", status).add("detail", detail)
                .add("code", r.reason()).add("logIndex", r.logIndex()).build();
        return Response.status(status).type(Problem.PROBLEM_JSON).entity(problem.toString()).build();
    }

    /** A doctor-signed EMR version (diagnosis phase; FHIR R4 JSON inside {@code C_V}) stored and indexed. */
    @POST
    @Path("hospitals/{hospitalId}/emr-versions")
    @RolesAllowed("doctor")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store an EMR version (diagnosis phase)", description = "A FHIR R4 resource or Bundle, validated, stored encrypted at rest under a per-record key, and indexed at the public cloud. Role doctor.")
    public Response storeVersion(@PathParam("hospitalId") String hospitalId, String body, @Context SecurityContext security)
            throws DomainException {
        requireId(hospitalId);
        byte[] m = message(body);
        EmrVersionSubmission submission;
        try {
            submission = EmrVersionSubmission.decode(CURVE, m);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
        var v = hospitals.storeVersion(hospitalId, submission, security.getUserPrincipal().getName());
        return Response.status(201).entity(JSON.createObjectBuilder().add("hospitalId", hospitalId)
                .add("patientId", v.idP()).add("departmentId", v.idDE()).add("signedAt", v.createdAt()).build().toString())
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    // ---- helpers ----

    static byte[] message(String body) {
        JsonObject o = JsonRequests.object(body, MESSAGE);
        return JsonRequests.base64(o, "message");
    }

    static void requireRole(String role) {
        if (!Set.of(EmrAuthRoles.PATIENT, EmrAuthRoles.DOCTOR, EmrAuthRoles.HOSPITAL_PRIVATE_CLOUD, EmrAuthRoles.PUBLIC_CLOUD)
                .contains(role)) {
            throw new BadRequest("INVALID_ROLE", "role must be patient, doctor, hospital-private-cloud or public-cloud");
        }
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
