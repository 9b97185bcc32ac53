package org.medledger.api.kgc;

import org.eclipse.microprofile.openapi.annotations.Operation;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.Json;
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
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Set;

import org.medledger.api.JsonRequests;
import org.medledger.api.ledger.LedgerJson;
import org.medledger.consensus.LedgerRecord;
import org.medledger.kgc.IssuedRegistration;
import org.medledger.kgc.KgcPublicKey;
import org.medledger.kgc.boundary.HospitalCloudRenewal;
import org.medledger.kgc.boundary.KgcKeyRotation;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.platform.DomainException;

/**
 * The KGC over HTTP: its public key (public) and patient registration (seed 000, eq. 2–3).
 * The authenticated TLS channel with a Keycloak token stands in for the paper's "secure channel".
 */
@Path("kgc")
public class KgcResource {

    static final Set<String> REGISTRATION_FIELDS = Set.of("patientId", "biometricSecret");
    static final Set<String> DOCTOR_REGISTRATION_FIELDS = Set.of("doctorId", "certificate", "proofTime", "proof");

    @Inject
    KgcRegistrationService kgc;

    @Inject
    KgcKeyRotation rotation;

    @Inject
    HospitalCloudRenewal hospitalClouds;

    @GET
    @Path("public-key")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The KGC master public key", description = "PK = s*P, public.")
    public Response publicKey() throws DomainException {
        KgcPublicKey pk = kgc.publicKey();
        // every generation of the master key pair, oldest first: a partial key issued under an older
        // key id is verified against that generation's PK
        jakarta.json.JsonArrayBuilder generations = Json.createArrayBuilder();
        for (KgcKeyRotation.Generation g : rotation.generations()) {
            generations.add(Json.createObjectBuilder()
                    .add("generation", g.generation())
                    .add("keyId", g.keyId())
                    .add("curve", g.curve())
                    .add("publicKey", Base64.getEncoder().encodeToString(g.publicKey()))
                    .add("notBefore", g.notBefore().toString())
                    .add("notAfter", g.notAfter().toString())
                    .add("state", g.current() ? "current" : "verification only"));
        }
        JsonObject body = Json.createObjectBuilder()
                .add("curve", pk.curve())
                .add("publicKey", Base64.getEncoder().encodeToString(pk.encoded()))
                .add("keyId", pk.keyId())
                .add("keys", generations)
                .build();
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * Rotates the KGC master key pair (issue 15): a new key id issues from now on, the older ones
     * stay published for verification; the rotation is a ledger entry.
     */
    @POST
    @Path("keys/master/rotation")
    @RolesAllowed("kgc-operator")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rotate the KGC master key pair", description = "The KGC generates the next generation of (s, PK); "
            + "new registrations use its key id, earlier key ids stay published for verification; the rotation is appended to the ledger.")
    public Response rotateMasterKey() throws DomainException {
        KgcKeyRotation.Rotated r = rotation.rotateMaster();
        JsonObject body = Json.createObjectBuilder()
                .add("previousKeyId", r.previousKeyId())
                .add("keyId", r.keyId())
                .add("generation", r.generation())
                .add("logIndex", r.logIndex())
                .build();
        return Response.status(Response.Status.CREATED).entity(body.toString()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * Registers a patient. A {@code kgc-operator} enrols anyone; a {@code patient} only
     * registers the identity it is logged in as.
     */
    @POST
    @Path("registrations/patients")
    @RolesAllowed({"patient", "kgc-operator"})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a patient with the KGC", description = "Issues (R_P1, S_P) for the patient's biometric-derived secret; a patient registers only itself, a kgc-operator anyone. The caller is recorded.")
    public Response registerPatient(String body, @Context SecurityContext security, @Context UriInfo uri)
            throws DomainException {
        JsonObject request = JsonRequests.object(body, REGISTRATION_FIELDS);
        String patientId = JsonRequests.string(request, "patientId");
        byte[] biometricSecret = JsonRequests.base64(request, "biometricSecret");
        String caller = security.getUserPrincipal().getName();
        if (!security.isUserInRole("kgc-operator") && !caller.equals(patientId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY",
                    "a patient may register only its own identity");
        }
        IssuedRegistration issued = kgc.registerPatient(patientId, biometricSecret, caller);
        return created(issued, uri, "patientId", "rP1", "sP");
    }

    /**
     * Registers a doctor (seed 000, eq. 8–9) against its medical-authority certificate
     * {@code Cert_D} (base64 DER), with the device's proof of possession of the certificate's key
     * ({@code proofTime}: ISO-8601 instant, {@code proof}: base64 {@code r ‖ s} over
     * {@code RegistrationProof}). A doctor registers only itself; the certificate must be legal
     * for that identity, exactly as at the Keycloak login.
     */
    @POST
    @Path("registrations/doctors")
    @RolesAllowed({"doctor", "kgc-operator"})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a doctor with the KGC", description = "Needs the doctor's medical-authority certificate and a proof of possession signed by its key, whoever submits it; a revoked doctor registers again only under a new key, through a kgc-operator. The caller is recorded on the ledger.")
    public Response registerDoctor(String body, @Context SecurityContext security, @Context UriInfo uri)
            throws DomainException {
        JsonObject request = JsonRequests.object(body, DOCTOR_REGISTRATION_FIELDS);
        String doctorId = JsonRequests.string(request, "doctorId");
        byte[] certificate = JsonRequests.base64(request, "certificate");
        Instant proofTime;
        try {
            proofTime = Instant.parse(JsonRequests.string(request, "proofTime"));
        } catch (DateTimeParseException e) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_FIELD",
                    "proofTime must be an ISO-8601 instant");
        }
        byte[] proof = JsonRequests.base64(request, "proof");
        String caller = security.getUserPrincipal().getName();
        if (!security.isUserInRole("kgc-operator") && !caller.equals(doctorId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY",
                    "a doctor may register only its own identity");
        }
        return created(kgc.registerDoctor(doctorId, certificate, proofTime, proof, caller), uri, "doctorId", "rD1", "sD");
    }

    /**
     * Records on the ledger that the medical authority revoked the certificate {@code doctorId}
     * registered with (body: {@code {"certificate": base64 DER}}). Refused unless the authority's
     * CRL or OCSP responder says revoked.
     */
    @POST
    @Path("registrations/doctors/{doctorId}/revocation")
    @RolesAllowed({"kgc-operator", "hospital-admin"})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record a doctor's revocation", description = "The medical authority must have revoked the registered certificate; ends the doctor's sessions and records member.revoke. Roles kgc-operator, hospital-admin.")
    public Response recordDoctorRevocation(@PathParam("doctorId") String doctorId, String body,
                                           @Context SecurityContext security) throws DomainException {
        JsonObject request = JsonRequests.object(body, Set.of("certificate"));
        byte[] certificate = JsonRequests.base64(request, "certificate");
        LedgerRecord r = kgc.recordDoctorRevocation(doctorId, certificate, security.getUserPrincipal().getName());
        return Response.ok(LedgerJson.of(r).add("doctorId", doctorId).build().toString(), MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    static final Set<String> PATIENT_RENEWAL_FIELDS = Set.of("biometricSecret", "kgcKeyId", "proofTime", "proof");
    static final Set<String> DOCTOR_RENEWAL_FIELDS = Set.of("certificate", "kgcKeyId", "proofTime", "proof");

    /**
     * Renews the caller's patient registration under the current KGC key id after a master key
     * rotation: {@code biometricSecret} as at registration, {@code kgcKeyId} the key id of the partial
     * key the patient holds, {@code proof} its signature ({@code PartialKeyRenewal}) at {@code proofTime}.
     */
    @POST
    @Path("registrations/patients/{patientId}/renewal")
    @RolesAllowed("patient")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Renew a patient's partial key under the current KGC key id", description = "After a KGC master key "
            + "rotation; proves possession of the partial key issued under the older key id. The old key stays listed as superseded; one ledger entry.")
    public Response renewPatient(@PathParam("patientId") String patientId, String body, @Context SecurityContext security)
            throws DomainException {
        JsonObject request = JsonRequests.object(body, PATIENT_RENEWAL_FIELDS);
        byte[] biometricSecret = JsonRequests.base64(request, "biometricSecret");
        KgcRegistrationService.Renewed r = kgc.renewPatient(patientId, biometricSecret, JsonRequests.string(request, "kgcKeyId"),
                proofTime(request), JsonRequests.base64(request, "proof"), security.getUserPrincipal().getName());
        return renewed(r, "patientId", "rP1", "sP");
    }

    /**
     * Renews the caller's doctor registration under the current KGC key id: {@code certificate} the
     * registered {@code Cert_D} (base64 DER), the rest as for a patient.
     */
    @POST
    @Path("registrations/doctors/{doctorId}/renewal")
    @RolesAllowed("doctor")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Renew a doctor's partial key under the current KGC key id", description = "After a KGC master key "
            + "rotation; needs the registered certificate (still legal) and a proof by the partial key issued under the older key id.")
    public Response renewDoctor(@PathParam("doctorId") String doctorId, String body, @Context SecurityContext security)
            throws DomainException {
        JsonObject request = JsonRequests.object(body, DOCTOR_RENEWAL_FIELDS);
        byte[] certificate = JsonRequests.base64(request, "certificate");
        KgcRegistrationService.Renewed r = kgc.renewDoctor(doctorId, certificate, JsonRequests.string(request, "kgcKeyId"),
                proofTime(request), JsonRequests.base64(request, "proof"), security.getUserPrincipal().getName());
        return renewed(r, "doctorId", "rD1", "sD");
    }

    /**
     * Renews a hospital private cloud's partial key under the current KGC key id (its keys are in
     * this server's hospital key store, which signs the proof); a hospital administrator asks.
     */
    @POST
    @Path("registrations/hospital-clouds/{hospitalId}/renewal")
    @RolesAllowed("hospital-admin")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Renew a hospital cloud's partial key under the current KGC key id", description = "After a KGC master "
            + "key rotation; the hospital's other keys are unchanged, the old partial key is listed as superseded; one ledger entry.")
    public Response renewHospitalCloud(@PathParam("hospitalId") String hospitalId, @Context SecurityContext security)
            throws DomainException {
        HospitalCloudRenewal.Renewed r = hospitalClouds.renew(hospitalId, security.getUserPrincipal().getName());
        JsonObject out = Json.createObjectBuilder().add("hospitalId", r.hospitalId()).add("kgcKeyId", r.keyId())
                .add("previousKeyId", r.previousKeyId()).add("logIndex", r.logIndex()).build();
        return Response.status(Response.Status.CREATED).entity(out.toString()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Under which KGC key id a hospital cloud's partial key was issued, and the ones it held before. */
    @GET
    @Path("registrations/hospital-clouds/{hospitalId}")
    @RolesAllowed({"hospital-admin", "kgc-operator", "auditor"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A hospital cloud's KGC partial key state", description = "The key id of its partial key, current or renewal due, and the superseded ones.")
    public Response hospitalCloudRegistration(@PathParam("hospitalId") String hospitalId) throws DomainException {
        HospitalCloudRenewal.State st = hospitalClouds.state(hospitalId);
        jakarta.json.JsonArrayBuilder keys = Json.createArrayBuilder().add(Json.createObjectBuilder()
                .add("kgcKeyId", st.kgcKeyId()).add("state", st.current() ? "current" : "renewal due"));
        for (int i = st.superseded().size() - 1; i >= 0; i--) {
            var k = st.superseded().get(i);
            keys.add(Json.createObjectBuilder().add("kgcKeyId", k.kgcKeyId()).add("r", k.rBase64()).add("state", "superseded")
                    .add("supersededBy", k.supersededBy()).add("supersededAt", Instant.ofEpochMilli(k.supersededAt()).toString())
                    .add("logIndex", k.ledgerIndex()));
        }
        JsonObject out = Json.createObjectBuilder().add("hospitalId", hospitalId).add("kgcKeyId", st.kgcKeyId())
                .add("keys", keys).build();
        return Response.ok(out.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Instant proofTime(JsonObject request) throws DomainException {
        try {
            return Instant.parse(JsonRequests.string(request, "proofTime"));
        } catch (DateTimeParseException e) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_FIELD", "proofTime must be an ISO-8601 instant");
        }
    }

    private static Response renewed(KgcRegistrationService.Renewed r, String idField, String rField, String sField) {
        IssuedRegistration issued = r.issued();
        try {
            Base64.Encoder b64 = Base64.getEncoder();
            JsonObject out = Json.createObjectBuilder()
                    .add(idField, issued.partyId())
                    .add("curve", issued.curve())
                    .add(rField, b64.encodeToString(issued.r()))
                    .add(sField, b64.encodeToString(issued.s()))
                    .add("kgcPublicKey", b64.encodeToString(issued.kgcPublicKey()))
                    .add("kgcKeyId", issued.kgcKeyId())
                    .add("previousKeyId", r.previousKeyId())
                    .add("logIndex", r.logIndex())
                    .add("renewedAt", issued.registeredAt().toString())
                    .build();
            CacheControl noStore = new CacheControl();
            noStore.setNoStore(true);
            return Response.status(Response.Status.CREATED).cacheControl(noStore).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(out.toString()).build();
        } finally {
            issued.wipe();
        }
    }

    /** The partial keys of a registration: the current one, then the superseded ones newest first. */
    private jakarta.json.JsonArrayBuilder partialKeys(String role, String partyId, String currentKeyId, String currentR)
            throws DomainException {
        jakarta.json.JsonArrayBuilder keys = Json.createArrayBuilder().add(Json.createObjectBuilder()
                .add("kgcKeyId", currentKeyId).add("r", currentR)
                .add("state", currentKeyId.equals(kgc.currentKeyId()) ? "current" : "renewal due"));
        java.util.List<org.medledger.kgc.entity.PartialKeyHistory.Superseded> old = kgc.supersededKeys(role, partyId);
        for (int i = old.size() - 1; i >= 0; i--) {
            var k = old.get(i);
            keys.add(Json.createObjectBuilder().add("kgcKeyId", k.kgcKeyId()).add("r", k.rBase64()).add("state", "superseded")
                    .add("supersededBy", k.supersededBy()).add("supersededAt", Instant.ofEpochMilli(k.supersededAt()).toString())
                    .add("logIndex", k.ledgerIndex()));
        }
        return keys;
    }

    private static Response created(IssuedRegistration issued, UriInfo uri, String idField, String rField,
                                    String sField) {
        try {
            Base64.Encoder b64 = Base64.getEncoder();
            JsonObject out = Json.createObjectBuilder()
                    .add(idField, issued.partyId())
                    .add("curve", issued.curve())
                    .add(rField, b64.encodeToString(issued.r()))
                    .add(sField, b64.encodeToString(issued.s()))
                    .add("kgcPublicKey", b64.encodeToString(issued.kgcPublicKey()))
                    .add("kgcKeyId", issued.kgcKeyId())
                    .add("registeredAt", issued.registeredAt().toString())
                    .build();
            CacheControl noStore = new CacheControl();
            noStore.setNoStore(true);
            // The Location is a path, not built from the request's Host header (which a client chooses).
            String location = uri.getAbsolutePath().getRawPath() + "/" + issued.partyId();
            return Response.status(Response.Status.CREATED).header("Location", location)
                    .cacheControl(noStore)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(out.toString())
                    .build();
        } finally {
            issued.wipe();
        }
    }

    /** The public record of a registration: the patient itself, KGC operators and auditors. */
    @GET
    @Path("registrations/patients/{patientId}")
    @RolesAllowed({"patient", "kgc-operator", "auditor"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A patient's registration record", description = "The public part of the registration and who made it.")
    public Response registration(@PathParam("patientId") String patientId, @Context SecurityContext security)
            throws DomainException {
        boolean privileged = security.isUserInRole("kgc-operator") || security.isUserInRole("auditor");
        if (!privileged && !security.getUserPrincipal().getName().equals(patientId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY",
                    "a patient may read only its own registration");
        }
        IssuedRegistration.Record r = kgc.registration(patientId);
        JsonObject out = Json.createObjectBuilder()
                .add("patientId", r.patientId())
                .add("rP1", r.rP1Base64())
                .add("kgcKeyId", r.kgcKeyId())
                .add("registeredBy", r.registeredBy())
                .add("registeredAt", r.registeredAt().toString())
                .add("keys", partialKeys("patient", patientId, r.kgcKeyId(), r.rP1Base64()))
                .build();
        return Response.ok(out.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The public record of a doctor registration, naming who registered it: the doctor, KGC operators, auditors, hospital IT. */
    @GET
    @Path("registrations/doctors/{doctorId}")
    @RolesAllowed({"doctor", "kgc-operator", "auditor", "hospital-admin"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A doctor's registration record", description = "The certificate serial and fingerprint, the public part of the registration and who made it.")
    public Response doctorRegistration(@PathParam("doctorId") String doctorId, @Context SecurityContext security)
            throws DomainException {
        boolean privileged = security.isUserInRole("kgc-operator") || security.isUserInRole("auditor")
                || security.isUserInRole("hospital-admin");
        if (!privileged && !security.getUserPrincipal().getName().equals(doctorId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY",
                    "a doctor may read only its own registration");
        }
        IssuedRegistration.DoctorRecord r = kgc.doctorRegistration(doctorId);
        JsonObject out = Json.createObjectBuilder()
                .add("doctorId", r.doctorId())
                .add("rD1", r.rD1Base64())
                .add("certificateSerial", r.certificateSerial())
                .add("certificateSha256", r.certificateSha256())
                .add("kgcKeyId", r.kgcKeyId())
                .add("registeredBy", r.registeredBy())
                .add("registeredAt", r.registeredAt().toString())
                .add("keys", partialKeys("doctor", doctorId, r.kgcKeyId(), r.rD1Base64()))
                .build();
        return Response.ok(out.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
