package org.medledger.client.cloudchain;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import org.medledger.client.ApiProblem;
import org.medledger.client.ApiResponses;
import org.medledger.client.Json2;
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

    private final HttpClient http;
    private final String api;
    private final CurveProfile curve;

    public CloudChainClient(HttpClient http, URI apiBase, CurveProfile curve) {
        this.http = http;
        this.api = apiBase.toString().replaceAll("/+$", "") + "/cloud-chain";
        this.curve = curve;
    }

    public record CenterRegistration(String centerId, String pid, DirectoryEntry certJ, long ledgerLogIndex) {
    }

    /** The network administrator registers the medical center operated by account {@code centerId}. */
    public CenterRegistration registerCenter(String token, String centerId)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject o = post("/medical-centers", token, Json.createObjectBuilder().add("centerId", centerId).build(), 201);
        return new CenterRegistration(o.getString("centerId"), o.getString("pid"), DirectoryEntry.decode(curve, b64(o, "certJ")),
                o.getJsonNumber("ledgerLogIndex").longValue());
    }

    /** {@code Cert_j} of medical center {@code pid}, unverified (the caller's trust context verifies it). */
    public Optional<DirectoryEntry> certificate(String token, String pid)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        try {
            return Optional.of(DirectoryEntry.decode(curve, b64(get("/medical-centers/" + pid, token, 200), "certJ")));
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
        JsonObject o = post("/patients", token, Json.createObjectBuilder().add("hid", hex(hid)).build(), 201);
        return CardIssuance.decode(b64(o, "issuance"));
    }

    /** The personalized card's {@code PK_i}, recorded by the NA on the ledger; returns the log index. */
    public long registerPatientKey(String token, byte[] hid, byte[] patientKey) throws IOException, InterruptedException, ApiProblem {
        JsonObject o = post("/patients/" + hex(hid) + "/key", token, Json.createObjectBuilder().add("patientKey", b64(patientKey)).build(), 201);
        return o.getJsonNumber("ledgerLogIndex").longValue();
    }

    public record Authenticated(String sessionId, AuthResponse response) {
    }

    /** Authentication step 1 → 2 at medical center {@code pid}. */
    public Authenticated authenticate(String token, String pid, AuthRequest request)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject o = post("/medical-centers/" + pid + "/authentications", token, message(request.encode()), 201);
        return new Authenticated(o.getString("sessionId"), AuthResponse.decode(curve, b64(o, "message")));
    }

    /** Smart-contract upload; returns the contract's ledger log index. */
    public long contract(String token, String pid, String sessionId, ContractUpload upload)
            throws IOException, InterruptedException, ApiProblem {
        JsonObject o = post("/medical-centers/" + pid + "/authentications/" + sessionId + "/contract", token, message(upload.encode()), 201);
        return o.getJsonNumber("ledgerLogIndex").longValue();
    }

    /** A medical center's operator stores a FHIR R4 record for patient {@code hid}; returns {@code T_up}. */
    public long storeEhr(String token, String pid, String hid, String fhirJson) throws IOException, InterruptedException, ApiProblem {
        JsonObject o = post("/medical-centers/" + pid + "/ehrs", token,
                Json.createObjectBuilder().add("hid", hid).add("record", fhirJson).build(), 201);
        return o.getJsonNumber("uploadedAt").longValue();
    }

    public record Retrieved(String hid, String storedBy, long uploadedAt, String record, long ledgerLogIndex) {
    }

    /** A medical center's operator requests patient {@code hid}'s latest EHR (logged on the ledger before release). */
    public Retrieved requestEhr(String token, String pid, String hid) throws IOException, InterruptedException, ApiProblem {
        JsonObject o = post("/medical-centers/" + pid + "/ehr-requests", token, Json.createObjectBuilder().add("hid", hid).build(), 200);
        return new Retrieved(o.getString("hid"), o.getString("storedBy"), o.getJsonNumber("uploadedAt").longValue(),
                o.getString("record"), o.getJsonNumber("ledgerLogIndex").longValue());
    }

    /** Every ledger entry about smartcard {@code hid} with proofs (for {@link CloudChainAudit}). */
    public JsonObject ledger(String token, String hid, long since) throws IOException, InterruptedException, ApiProblem {
        return get("/patients/" + hid + "/ledger?since=" + since, token, 200);
    }

    // ---- plumbing ----

    static String hex(byte[] b) {
        return org.bouncycastle.util.encoders.Hex.toHexString(b);
    }

    private static JsonObject message(byte[] m) {
        return Json.createObjectBuilder().add("message", b64(m)).build();
    }

    private JsonObject get(String path, String token, int expected) throws IOException, InterruptedException, ApiProblem {
        return send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").GET(), expected);
    }

    private JsonObject post(String path, String token, JsonObject body, int expected) throws IOException, InterruptedException, ApiProblem {
        return send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)), expected);
    }

    private JsonObject send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException, ApiProblem {
        HttpResponse<String> res = http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        return ApiResponses.expect(res, expected);
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static byte[] b64(JsonObject o, String name) throws ApiProblem {
        try {
            return Base64.getDecoder().decode(o.getString(name));
        } catch (RuntimeException e) {
            throw new ApiProblem(200, "BAD_RESPONSE", name + " is not base64");
        }
    }
}
