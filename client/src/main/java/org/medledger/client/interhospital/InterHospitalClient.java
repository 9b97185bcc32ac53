package org.medledger.client.interhospital;

import static org.medledger.client.JsonApi.b64;
import static org.medledger.client.JsonApi.enc;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.medledger.client.ApiProblem;
import org.medledger.client.CachingDirectory;
import org.medledger.client.JsonApi;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.PartyDirectory;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.interhospital.HandshakeChallenge;
import org.medledger.protocol.interhospital.HandshakeConfirm;
import org.medledger.protocol.interhospital.HandshakeHello;
import org.medledger.protocol.interhospital.RecordDelivery;
import org.medledger.protocol.interhospital.RegistrationGrant;

/**
 * The REST client of INTER-HOSPITAL (seed 002): it carries messages the patient's device built
 * and returns the server's messages decoded (points validated); every protocol check stays on
 * the device ({@link org.medledger.protocol.interhospital.Patient}). Refusals arrive as
 * {@link ApiProblem} with the server's stable code.
 */
public final class InterHospitalClient {

    private final JsonApi json;
    private final CurveProfile curve;

    public InterHospitalClient(HttpClient http, URI apiBase, CurveProfile curve) {
        this.json = new JsonApi(http, apiBase, Duration.ofSeconds(60));
        this.curve = curve;
    }

    /** A hospital served by the server, registered by its administrator (seed 002, §3.5). */
    public JsonObject registerHospital(String token, String hospitalId) throws IOException, InterruptedException, ApiProblem {
        return json.post("/inter-hospital/hospitals", token, Json.createObjectBuilder().add("hospitalId", hospitalId).build(), 201);
    }

    /** A patient's partial key renewed under the current KGC key id: the fresh grant, the {@code PK} it was issued under, the ledger entry. */
    public record Renewal(RegistrationGrant grant, org.medledger.protocol.common.MasterPublicKey kgcPublicKey, String kgcKeyId,
                          String previousKeyId, long logIndex) {
    }

    /**
     * After a KGC master key rotation: renews the patient's partial key, proving possession of
     * {@code held} (issued under {@code heldUnder}) by the one renewal proof; the caller checks eq. 5
     * on the answer under the current {@code PK} before it keeps it.
     */
    public Renewal renewPatient(String token, String patientId, RegistrationGrant held,
                                org.medledger.protocol.common.MasterPublicKey heldUnder)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        java.time.Instant at = java.time.Instant.now();
        String keyId = org.medledger.client.emrauth.EmrAuthClient.keyId(heldUnder);
        byte[] proof = org.medledger.protocol.common.PartialKeyRenewal.sign(
                org.medledger.protocol.interhospital.InterHospitalRenewal.PATIENT, held.sX(), patientId, keyId, held.rX(), at);
        JsonObject o = json.post("/inter-hospital/patients/" + enc(patientId) + "/registration/renewal", token,
                Json.createObjectBuilder().add("kgcKeyId", keyId).add("proofTime", at.toString()).add("proof", b64(proof)).build(), 201);
        byte[] s = b64(o, "sPat");
        try {
            return new Renewal(new RegistrationGrant(curve.decodePoint(b64(o, "rPat")), SecretScalar.decode(curve, s),
                    DirectoryEntry.decode(curve, b64(o, "entry"))),
                    org.medledger.protocol.common.MasterPublicKey.decode(curve, b64(o, "kgcPublicKey")), o.getString("kgcKeyId"),
                    o.getString("previousKeyId"), o.getJsonNumber("logIndex").longValue());
        } finally {
            java.util.Arrays.fill(s, (byte) 0);
        }
    }

    /** A hospital administrator renews its hospital's partial key under the current KGC key id (held on the server). */
    public JsonObject renewHospital(String token, String hospitalId) throws IOException, InterruptedException, ApiProblem {
        return json.post("/inter-hospital/hospitals/" + enc(hospitalId) + "/partial-key/renewal", token, 201);
    }

    /** Under which KGC key id a hospital's partial key was issued, and the superseded ones. */
    public JsonObject hospitalPartialKey(String token, String hospitalId) throws IOException, InterruptedException, ApiProblem {
        return json.get("/inter-hospital/hospitals/" + enc(hospitalId) + "/partial-key", token, 200);
    }

    /** The patient's registration with its own public keys: {@code (R_PAT, S_PAT)} and the certified entry. */
    public RegistrationGrant registerPatient(String token, String patientId, byte[] signingKey, byte[] kemKey, byte[] ledgerKey)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject o = json.post("/inter-hospital/patients/" + enc(patientId) + "/registration", token, Json.createObjectBuilder()
                .add("signingKey", b64(signingKey)).add("kemKey", b64(kemKey)).add("ledgerKey", b64(ledgerKey)).build(), 201);
        byte[] s = b64(o, "sPat");
        try {
            return new RegistrationGrant(curve.decodePoint(b64(o, "rPat")), SecretScalar.decode(curve, s),
                    DirectoryEntry.decode(curve, b64(o, "entry")));
        } finally {
            java.util.Arrays.fill(s, (byte) 0);
        }
    }

    public Optional<DirectoryEntry> entry(String token, String role, String partyId)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        try {
            JsonObject o = json.get("/inter-hospital/directory/" + enc(role) + "/" + enc(partyId), token, 200);
            return Optional.of(DirectoryEntry.decode(curve, b64(o, "entry")));
        } catch (ApiProblem p) {
            if (p.status() == 404) {
                return Optional.empty();
            }
            throw p;
        }
    }

    /** The server's INTER-HOSPITAL directory for the device's {@code TrustContext} (entries verified there), read with {@code token}. */
    public PartyDirectory directory(String token) {
        return directory(() -> token);
    }

    /**
     * The directory for a long-lived device or process, read with the access token {@code token}
     * supplies at the time: entries are kept for {@link CachingDirectory#MAX_AGE} at most, so a
     * hospital's renewed partial key reaches its next run; absence and failures are not kept.
     */
    public PartyDirectory directory(Supplier<String> token) {
        return directory(token, InstantSource.system());
    }

    PartyDirectory directory(Supplier<String> token, InstantSource clock) {
        return new CachingDirectory((role, partyId) -> entry(token.get(), role, partyId), clock);
    }

    /**
     * The device's {@code hachk}: the server's answer whether the ledger has the hospital
     * ({@code ptchk}/{@code mrchk} are the hospitals' checks); any failure counts as "no".
     */
    public org.medledger.protocol.interhospital.LedgerChecks ledgerChecks(String token) {
        return q -> {
            if (!(q instanceof org.medledger.protocol.interhospital.HospitalCheck h)) {
                return false;
            }
            try {
                return json.get("/inter-hospital/ledger/hospitals/" + enc(h.hospitalId()), token, 200).getBoolean("holds", false);
            } catch (IOException | ApiProblem | RuntimeException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }

    public record OpenedVisit(String sessionId, HandshakeChallenge challenge) {
    }

    /** Visit step 1 → 2. */
    public OpenedVisit openVisit(String token, String hospitalId, HandshakeHello hello)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject o = json.post(visits(hospitalId), token, message(hello.encode()), 201);
        return new OpenedVisit(o.getString("sessionId"), HandshakeChallenge.decode(curve, b64(o, "message")));
    }

    /** Visit step 3 → 4: the visit is open for a doctor. */
    public JsonObject confirmVisit(String token, String hospitalId, String sessionId, HandshakeConfirm confirm)
            throws IOException, InterruptedException, ApiProblem {
        return json.post(visits(hospitalId) + "/" + enc(sessionId) + "/confirmation", token, message(confirm.encode()), 200);
    }

    /** The record of the visit once a doctor issued it ({@code RECORD_NOT_READY} before). */
    public RecordDelivery delivery(String token, String hospitalId, String sessionId)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        return RecordDelivery.decode(curve, b64(json.get(visits(hospitalId) + "/" + enc(sessionId) + "/delivery", token, 200), "message"));
    }

    /** Polls {@link #delivery} until the record is there or {@code wait} has passed. */
    public Optional<RecordDelivery> awaitDelivery(String token, String hospitalId, String sessionId, Duration wait)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return Optional.of(delivery(token, hospitalId, sessionId));
            } catch (ApiProblem p) {
                if (!p.code().equals("RECORD_NOT_READY") || System.nanoTime() > end) {
                    if (p.code().equals("RECORD_NOT_READY")) {
                        return Optional.empty();
                    }
                    throw p;
                }
            }
            Thread.sleep(1000);
        }
    }

    // ---- a doctor at a hospital ----

    public List<JsonObject> openVisits(String token, String hospitalId) throws IOException, InterruptedException, ApiProblem {
        return new ArrayList<>(json.get(visits(hospitalId), token, 200).getJsonArray("visits").getValuesAs(JsonObject.class));
    }

    public JsonObject issueRecord(String token, String hospitalId, String sessionId, String diagnosisId, byte[] fhirJson)
            throws IOException, InterruptedException, ApiProblem {
        return json.post(visits(hospitalId) + "/" + enc(sessionId) + "/records", token, Json.createObjectBuilder()
                .add("diagnosisId", diagnosisId).add("record", b64(fhirJson)).build(), 201);
    }

    /** A record fetched from the holding hospital under the patient's authorization. */
    public record FetchedRecord(String holderId, String diagnosisId, byte[] fhirJson) {
    }

    public List<FetchedRecord> fetchReferred(String token, String hospitalId, String sessionId)
            throws IOException, InterruptedException, ApiProblem {
        JsonObject o = json.post(visits(hospitalId) + "/" + enc(sessionId) + "/transfers", token, 200);
        List<FetchedRecord> out = new ArrayList<>();
        for (JsonObject r : o.getJsonArray("records").getValuesAs(JsonObject.class)) {
            out.add(new FetchedRecord(r.getString("holderId"), r.getString("diagnosisId"), b64(r, "record")));
        }
        return out;
    }

    private static String visits(String hospitalId) {
        return "/inter-hospital/hospitals/" + enc(hospitalId) + "/visits";
    }

    private static JsonObject message(byte[] m) {
        return Json.createObjectBuilder().add("message", b64(m)).build();
    }
}
