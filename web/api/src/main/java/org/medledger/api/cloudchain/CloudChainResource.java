package org.medledger.api.cloudchain;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
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

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

import org.medledger.api.JsonRequests;
import org.medledger.api.problem.BadRequest;
import org.medledger.cloudchain.MedicalCenterService;
import org.medledger.consensus.LedgerNode;
import org.medledger.cloudchain.NetworkAdministratorService;
import org.medledger.platform.DomainException;
import org.medledger.platform.Refusals;
import org.medledger.protocol.cloudchain.AuthRequest;
import org.medledger.protocol.cloudchain.CardIssuance;
import org.medledger.protocol.cloudchain.ContractUpload;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.ProtocolException;

/**
 * CLOUD-CHAIN (seed 001) over HTTP. The network administrator ({@code network-admin}) registers
 * medical centers; a patient registers its own smartcard and authenticates to a center with it
 * (messages built and checked on the patient's device, as {@code {"message": base64}}); a medical
 * center's operator ({@code medical-center}, the account the center was registered for) stores
 * and requests EHRs through the cloud server. {@code HID_i} and {@code PID_j} are 64 lowercase hex digits.
 */
@Path("cloud-chain")
public class CloudChainResource {

    static final Set<String> MESSAGE = Set.of("message");
    /** A FHIR record of up to 128 KiB as a JSON string. */
    static final CurveProfile CURVE = CurveProfile.p256();

    @EJB
    NetworkAdministratorService na;

    @EJB
    MedicalCenterService centers;

    @EJB
    LedgerNode ledger;

    /** Registers a medical center for its operator account {@code centerId} (seed 001, §5.1.2). */
    @POST
    @Path("medical-centers")
    @RolesAllowed("network-admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response registerCenter(String body, @Context SecurityContext security) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("centerId"));
        NetworkAdministratorService.CenterRegistered r = na.registerMedicalCenter(JsonRequests.string(o, "centerId"), caller(security));
        return created(Json.createObjectBuilder().add("centerId", r.centerId()).add("pid", r.pid())
                .add("certJ", b64(r.certJ().encode())).add("ledgerLogIndex", r.logIndex()).build());
    }

    /** Removes a medical center from the ledger's members; the cloud server releases nothing more to it. */
    @POST
    @Path("medical-centers/{pid}/revocation")
    @RolesAllowed("network-admin")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revokeCenter(@PathParam("pid") String pid, @Context SecurityContext security) throws DomainException {
        long index = na.revokeMedicalCenter(pid, caller(security));
        return Response.ok(Json.createObjectBuilder().add("pid", pid).add("ledgerLogIndex", index).build().toString(),
                MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** {@code Cert_j} of a medical center (the device verifies it against the NA's certification key). */
    @GET
    @Path("medical-centers/{pid}")
    @RolesAllowed({"patient", "medical-center", "network-admin", "auditor"})
    @Produces(MediaType.APPLICATION_JSON)
    public Response center(@PathParam("pid") String pid) throws DomainException {
        DirectoryEntry e = na.certificate(pid);
        return Response.ok(Json.createObjectBuilder().add("pid", pid).add("certJ", b64(e.encode())).build().toString(),
                MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Patient registration step 2 (seed 001, §5.1.1): {@code {"hid"}} → {@code x_i} for the card ({@code no-store}). */
    @POST
    @Path("patients")
    @RolesAllowed("patient")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response registerPatient(String body, @Context SecurityContext security) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("hid"));
        String hid = JsonRequests.string(o, "hid");
        CardIssuance issued = na.registerPatient(hid, caller(security));
        byte[] encoded = issued.encode();
        try {
            return Response.status(201).entity(Json.createObjectBuilder().add("hid", hid).add("issuance", b64(encoded)).build().toString())
                    .type(MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore()).build();
        } finally {
            java.util.Arrays.fill(encoded, (byte) 0);
            issued.xI().destroy();
        }
    }

    /** The personalized card's {@code PK_i} ({@code {"patientKey": base64 SEC1}}), recorded on the ledger with {@code HID_i}. */
    @POST
    @Path("patients/{hid}/key")
    @RolesAllowed("patient")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response registerPatientKey(@PathParam("hid") String hid, String body, @Context SecurityContext security)
            throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("patientKey"));
        NetworkAdministratorService.PatientKeyRecorded r = na.registerPatientKey(hid, JsonRequests.base64(o, "patientKey"),
                caller(security));
        return created(Json.createObjectBuilder().add("hid", r.hid()).add("ledgerLogIndex", r.logIndex()).build());
    }

    /** Authentication (seed 001, §5.2): {@code <M_1, M_ap, T_1>} → {@code <E_i, M_amc, T_2, Q_j>} and the session id. */
    @POST
    @Path("medical-centers/{pid}/authentications")
    @RolesAllowed("patient")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response authenticate(@PathParam("pid") String pid, String body, @Context SecurityContext security) throws DomainException {
        byte[] m = message(body);
        AuthRequest request;
        try {
            request = AuthRequest.decode(CURVE, m);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
        MedicalCenterService.Authenticated a = centers.authenticate(pid, request, caller(security));
        return Response.status(201).entity(Json.createObjectBuilder().add("sessionId", a.sessionId())
                .add("message", b64(a.response().encode())).build().toString())
                .type(MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore()).build();
    }

    /** Smart-contract upload (seed 001, §5.3): {@code <M_sc, M_inf, T_3>} → {@code Sc(HID_i, PID_j, Cert_j)} on the ledger. */
    @POST
    @Path("medical-centers/{pid}/authentications/{sessionId}/contract")
    @RolesAllowed("patient")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response contract(@PathParam("pid") String pid, @PathParam("sessionId") String sessionId, String body,
                             @Context SecurityContext security) throws DomainException {
        byte[] m = message(body);
        ContractUpload upload;
        try {
            upload = ContractUpload.decode(CURVE, m);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
        MedicalCenterService.Contracted c = centers.contract(pid, sessionId, upload, caller(security));
        return created(Json.createObjectBuilder().add("hid", c.hid()).add("pid", c.pid()).add("ledgerLogIndex", c.logIndex()).build());
    }

    /** EHR storing (seed 001, §5.4): {@code {"hid", "record"}} with {@code record} a FHIR R4 JSON resource as a string. */
    @POST
    @Path("medical-centers/{pid}/ehrs")
    @RolesAllowed("medical-center")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response storeEhr(@PathParam("pid") String pid, String body, @Context SecurityContext security) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("hid", "record"));
        MedicalCenterService.Stored s = centers.storeEhr(pid, JsonRequests.string(o, "hid"),
                JsonRequests.string(o, "record").getBytes(StandardCharsets.UTF_8), caller(security));
        return created(Json.createObjectBuilder().add("hid", s.hid()).add("pid", s.pid()).add("uploadedAt", s.uploadedAt()).build());
    }

    /**
     * EHR requesting (seed 001, §5.5–5.6): {@code {"hid"}} → the patient's latest EHR, released only
     * after the access-log transaction is on the ledger ({@code ledgerLogIndex}).
     */
    @POST
    @Path("medical-centers/{pid}/ehr-requests")
    @RolesAllowed("medical-center")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response requestEhr(@PathParam("pid") String pid, String body, @Context SecurityContext security) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("hid"));
        MedicalCenterService.Retrieved r = centers.requestEhr(pid, JsonRequests.string(o, "hid"), caller(security));
        return Response.ok(Json.createObjectBuilder().add("hid", r.hid()).add("storedBy", r.storedBy()).add("uploadedAt", r.uploadedAt())
                        .add("record", new String(r.record(), StandardCharsets.UTF_8)).add("ledgerLogIndex", r.logIndex()).build().toString(),
                MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore()).build();
    }

    /**
     * Every ledger entry about smartcard {@code HID_i} (the card's key, its contracts, every access
     * log), each with its inclusion path to the signed tree head, and the consistency proof from
     * tree size {@code since}: the card's holder and auditors check it on their side.
     */
    @GET
    @Path("patients/{hid}/ledger")
    @RolesAllowed({"patient", "auditor"})
    @Produces(MediaType.APPLICATION_JSON)
    public Response ledger(@PathParam("hid") String hid, @jakarta.ws.rs.QueryParam("since") @jakarta.ws.rs.DefaultValue("0") long since,
                           @Context SecurityContext security) throws DomainException {
        java.util.List<Long> indexes = na.ledgerEntriesOf(hid, caller(security), security.isUserInRole("auditor"));
        return org.medledger.api.ledger.ProvenEntries.answer(ledger, since, org.medledger.api.ledger.ProvenEntries.at(ledger, indexes));
    }

    // ---- helpers ----

    static byte[] message(String body) {
        JsonObject o = JsonRequests.object(body, MESSAGE);
        byte[] m = JsonRequests.base64(o, "message");
        if (m.length == 0) {
            throw new BadRequest("MALFORMED_MESSAGE", "message is empty");
        }
        return m;
    }

    static String caller(SecurityContext security) {
        return security.getUserPrincipal().getName();
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static CacheControl noStore() {
        CacheControl c = new CacheControl();
        c.setNoStore(true);
        return c;
    }

    static Response created(JsonObject o) {
        return Response.status(201).entity(o.toString()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
