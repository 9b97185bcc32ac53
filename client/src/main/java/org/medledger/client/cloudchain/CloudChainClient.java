package org.medledger.client.cloudchain;

import static org.medledger.client.JsonApi.b64;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;

import org.medledger.client.ApiProblem;
import org.medledger.client.JsonApi;
import org.medledger.protocol.cloudchain.AuthRequest;
import org.medledger.protocol.cloudchain.AuthResponse;
import org.medledger.protocol.cloudchain.CardIssuance;
import org.medledger.protocol.cloudchain.ContractUpload;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.PartyDirectory;
import org.medledger.protocol.common.ProtocolException;

/**
 * CLOUD-CHAIN's REST calls ({@code /api/cloud-chain}) for the patient's device, the network
 * administrator and a medical center's operator. Server messages come back decoded (points
 * validated); every protocol check stays with the caller. Refusals arrive as {@link ApiProblem}.
 */
public final class CloudChainClient {

    private final JsonApi json;
    private final CurveProfile curve;

    public CloudChainClient(HttpClient http, URI apiBase, CurveProfile curve) {
        this.json = new JsonApi(http, URI.create(apiBase.toString().replaceAll("/+$", "") + "/cloud-chain"), Duration.ofSeconds(60));
        this.curve = curve;
    }

    public record CenterRegistration(String centerId, String pid, DirectoryEntry certJ, long ledgerLogIndex) {
    }

    /** The network administrator registers the medical center operated by account {@code centerId}. */
    public CenterRegistration registerCenter(String token, String centerId)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject o = json.post("/medical-centers", token, Json.createObjectBuilder().add("centerId", centerId).build(), 201);
        return new CenterRegistration(o.getString("centerId"), o.getString("pid"), DirectoryEntry.decode(curve, b64(o, "certJ")),
                o.getJsonNumber("ledgerLogIndex").longValue());
    }

    /** {@code Cert_j} of medical center {@code pid}, unverified (the caller's trust context verifies it). */
    public Optional<DirectoryEntry> certificate(String token, String pid)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        try {
            return Optional.of(DirectoryEntry.decode(curve, b64(json.get("/medical-centers/" + pid, token, 200), "certJ")));
        } catch (ApiProblem p) {
            if (p.status() == 404) {
                return Optional.empty();
            }
            throw p;
        }
    }

    /** The medical centers' certificates as the protocol's directory (entries verified by the reader). */
    public PartyDirectory directory(String token) {
        return (scheme, role, partyId) -> {
            try {
                return certificate(token, partyId);
            } catch (IOException | ApiProblem | ProtocolException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        };
    }

    /** Patient registration step 1 → 2: {@code HID_i} to the NA, {@code x_i} back for the card. */
    public CardIssuance registerPatient(String token, byte[] hid) throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject o = json.post("/patients", token, Json.createObjectBuilder().add("hid", hex(hid)).build(), 201);
        return CardIssuance.decode(b64(o, "issuance"));
    }

    /** The personalized card's {@code PK_i}, recorded by the NA on the ledger; returns the log index. */
    public long registerPatientKey(String token, byte[] hid, byte[] patientKey) throws IOException, InterruptedException, ApiProblem {
        JsonObject o = json.post("/patients/" + hex(hid) + "/key", token, Json.createObjectBuilder().add("patientKey", b64(patientKey)).build(), 201);
        return o.getJsonNumber("ledgerLogIndex").longValue();
    }

    public record Authenticated(String sessionId, AuthResponse response) {
    }

    /** Authentication step 1 → 2 at medical center {@code pid}. */
    public Authenticated authenticate(String token, String pid, AuthRequest request)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject o = json.post("/medical-centers/" + pid + "/authentications", token, message(request.encode()), 201);
        return new Authenticated(o.getString("sessionId"), AuthResponse.decode(curve, b64(o, "message")));
    }

    /** Smart-contract upload; returns the contract's ledger log index. */
    public long contract(String token, String pid, String sessionId, ContractUpload upload)
            throws IOException, InterruptedException, ApiProblem {
        JsonObject o = json.post("/medical-centers/" + pid + "/authentications/" + sessionId + "/contract", token, message(upload.encode()), 201);
        return o.getJsonNumber("ledgerLogIndex").longValue();
    }

    /** A medical center's operator stores a FHIR R4 record for patient {@code hid}; returns {@code T_up}. */
    public long storeEhr(String token, String pid, String hid, String fhirJson) throws IOException, InterruptedException, ApiProblem {
        JsonObject o = json.post("/medical-centers/" + pid + "/ehrs", token,
                Json.createObjectBuilder().add("hid", hid).add("record", fhirJson).build(), 201);
        return o.getJsonNumber("uploadedAt").longValue();
    }

    public record Retrieved(String hid, String storedBy, long uploadedAt, String record, long ledgerLogIndex) {
    }

    /** A medical center's operator requests patient {@code hid}'s latest EHR (logged on the ledger before release). */
    public Retrieved requestEhr(String token, String pid, String hid) throws IOException, InterruptedException, ApiProblem {
        JsonObject o = json.post("/medical-centers/" + pid + "/ehr-requests", token, Json.createObjectBuilder().add("hid", hid).build(), 200);
        return new Retrieved(o.getString("hid"), o.getString("storedBy"), o.getJsonNumber("uploadedAt").longValue(),
                o.getString("record"), o.getJsonNumber("ledgerLogIndex").longValue());
    }

    /** Every ledger entry about smartcard {@code hid} with proofs (for {@link CloudChainAudit}). */
    public JsonObject ledger(String token, String hid, long since) throws IOException, InterruptedException, ApiProblem {
        return json.get("/patients/" + hid + "/ledger?since=" + since, token, 200);
    }

    static String hex(byte[] b) {
        return org.bouncycastle.util.encoders.Hex.toHexString(b);
    }

    private static JsonObject message(byte[] m) {
        return Json.createObjectBuilder().add("message", b64(m)).build();
    }
}
