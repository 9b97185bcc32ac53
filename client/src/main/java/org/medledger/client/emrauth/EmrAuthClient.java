package org.medledger.client.emrauth;

import static org.medledger.client.JsonApi.b64;
import static org.medledger.client.JsonApi.enc;

import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

import org.medledger.client.ApiProblem;
import org.medledger.client.CachingDirectory;
import org.medledger.client.JsonApi;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.PartyDirectory;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.VerificationKey;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.emrauth.EmrDelivery;
import org.medledger.protocol.emrauth.EmrRequest;
import org.medledger.protocol.emrauth.EmrSearchRequest;
import org.medledger.protocol.emrauth.EmrSearchResponse;
import org.medledger.protocol.emrauth.EmrVersionSubmission;
import org.medledger.protocol.emrauth.HospitalAccessRequest;
import org.medledger.protocol.emrauth.HospitalAccessResponse;

/**
 * The device side's REST client for EMR-AUTH: it carries protocol messages the device built and
 * returns the server's messages decoded (points validated); every protocol check stays on the
 * device. Refusals arrive as {@link ApiProblem} with the server's stable code.
 */
public final class EmrAuthClient {

    private static final jakarta.json.spi.JsonProvider JSON = org.medledger.client.Json2.JSON;

    private final JsonApi json;
    private final CurveProfile curve;

    public EmrAuthClient(HttpClient http, URI apiBase, CurveProfile curve) {
        this.json = new JsonApi(http, apiBase, Duration.ofSeconds(60));
        this.curve = curve;
    }

    public CurveProfile curve() {
        return curve;
    }

    /** What the device pins on first use: the directory certification key and {@code ID_PC}. */
    public record ServerTrust(VerificationKey certifierKey, String publicCloudId) {
    }

    public ServerTrust trust(String token) throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject o = json.get("/emr-auth/trust", token, 200);
        return new ServerTrust(VerificationKey.decode(curve, b64(o, "certifierKey")), o.getString("publicCloudId"));
    }

    public Optional<DirectoryEntry> entry(String token, String role, String partyId)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        try {
            JsonObject o = json.get("/emr-auth/directory/" + enc(role) + "/" + enc(partyId), token, 200);
            return Optional.of(DirectoryEntry.decode(curve, b64(o, "entry")));
        } catch (ApiProblem p) {
            if (p.status() == 404) {
                return Optional.empty();
            }
            throw p;
        }
    }

    /**
     * The server's directory as the protocol's {@link PartyDirectory}, each entry kept for
     * {@link CachingDirectory#MAX_AGE} at most (absence and failures not kept); entries are verified
     * by the caller's {@code TrustContext} against the pinned certification key.
     */
    public PartyDirectory directory(String token) {
        return new CachingDirectory((role, partyId) -> entry(token, role, partyId), InstantSource.system());
    }

    /** Has the caller's own public keys certified (a patient also registers its ledger key). */
    public DirectoryEntry certify(String token, String role, String partyId, byte[] signingKey, byte[] kemKey, byte[] ledgerKey)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        var b = JSON.createObjectBuilder().add("signingKey", b64(signingKey)).add("kemKey", b64(kemKey));
        if (ledgerKey != null) {
            b.add("ledgerKey", b64(ledgerKey));
        }
        JsonObject o = json.post("/emr-auth/directory/" + enc(role) + "/" + enc(partyId), token, b.build(), 201);
        return DirectoryEntry.decode(curve, b64(o, "entry"));
    }

    /** KGC doctor registration (seed 000, eq. 8–9) with the doctor's own certificate; returns {@code (R_D1, S_D)}. */
    public org.medledger.protocol.emrauth.RegistrationResponse registerDoctor(String token, String doctorId, byte[] certificateDer,
            java.security.interfaces.ECPrivateKey certificateKey)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        java.time.Instant at = java.time.Instant.now();
        // Proof of possession of the certificate's key, signed on the device.
        byte[] proof = org.medledger.protocol.pki.RegistrationProof.sign(certificateKey, doctorId, certificateDer, at);
        JsonObject o = json.post("/kgc/registrations/doctors", token, JSON.createObjectBuilder().add("doctorId", doctorId)
                .add("certificate", b64(certificateDer)).add("proofTime", at.toString()).add("proof", b64(proof)).build(), 201);
        return org.medledger.protocol.emrauth.RegistrationResponse.fromFields(curve, b64(o, "rD1"), b64(o, "sD"));
    }

    /** A partial key renewed under the current KGC key id: the fresh {@code (R, S)}, the {@code PK} it verifies against, the ledger entry. */
    public record Renewal(org.medledger.protocol.emrauth.RegistrationResponse response,
                          org.medledger.protocol.common.MasterPublicKey kgcPublicKey, String kgcKeyId, String previousKeyId,
                          long logIndex) {
    }

    /** The KGC's key id of {@code pk}: the first 16 bytes of SHA-256 over its encoding, hex. */
    public static String keyId(org.medledger.protocol.common.MasterPublicKey pk) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(pk.encoded()))
                    .substring(0, 32);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /**
     * Renews a patient's partial key under the current KGC key id after a master key rotation: proves
     * possession of {@code held}, issued under {@code heldUnder}; the caller checks eq. 4 on the answer.
     */
    public Renewal renewPatient(String token, String patientId, org.medledger.protocol.common.SecretBytes bP,
                                org.medledger.protocol.common.MasterPublicKey heldUnder,
                                org.medledger.protocol.emrauth.RegistrationResponse held)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        java.time.Instant at = java.time.Instant.now();
        String keyId = keyId(heldUnder);
        byte[] proof = org.medledger.protocol.common.PartialKeyRenewal.sign(org.medledger.protocol.emrauth.EmrAuthRenewal.PATIENT, held.s(), patientId, keyId,
                held.r(), at);
        JsonObject o = json.post("/kgc/registrations/patients/" + enc(patientId) + "/renewal", token, JSON.createObjectBuilder()
                .add("biometricSecret", b64(bP.reveal())).add("kgcKeyId", keyId).add("proofTime", at.toString())
                .add("proof", b64(proof)).build(), 201);
        return renewal(o, "rP1", "sP");
    }

    /** Renews a doctor's partial key under the current KGC key id, with its registered certificate; the caller checks eq. 10. */
    public Renewal renewDoctor(String token, String doctorId, byte[] certificateDer,
                               org.medledger.protocol.common.MasterPublicKey heldUnder,
                               org.medledger.protocol.emrauth.RegistrationResponse held)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        java.time.Instant at = java.time.Instant.now();
        String keyId = keyId(heldUnder);
        byte[] proof = org.medledger.protocol.common.PartialKeyRenewal.sign(org.medledger.protocol.emrauth.EmrAuthRenewal.DOCTOR, held.s(), doctorId, keyId,
                held.r(), at);
        JsonObject o = json.post("/kgc/registrations/doctors/" + enc(doctorId) + "/renewal", token, JSON.createObjectBuilder()
                .add("certificate", b64(certificateDer)).add("kgcKeyId", keyId).add("proofTime", at.toString())
                .add("proof", b64(proof)).build(), 201);
        return renewal(o, "rD1", "sD");
    }

    /** A hospital administrator renews its hospital cloud's partial key under the current KGC key id (held on the server). */
    public JsonObject renewHospitalCloud(String token, String hospitalId) throws IOException, InterruptedException, ApiProblem {
        return json.post("/kgc/registrations/hospital-clouds/" + enc(hospitalId) + "/renewal", token, 201);
    }

    private Renewal renewal(JsonObject o, String rField, String sField) throws ProtocolException, ApiProblem {
        return new Renewal(org.medledger.protocol.emrauth.RegistrationResponse.fromFields(curve, b64(o, rField), b64(o, sField)),
                org.medledger.protocol.common.MasterPublicKey.decode(curve, b64(o, "kgcPublicKey")), o.getString("kgcKeyId"),
                o.getString("previousKeyId"), o.getJsonNumber("logIndex").longValue());
    }

    public JsonObject registerHospital(String token, String hospitalId) throws IOException, InterruptedException, ApiProblem {
        return json.post("/emr-auth/hospitals", token, JSON.createObjectBuilder().add("hospitalId", hospitalId).build(), 201);
    }

    /** Search step 1 → 2 at the public cloud. */
    public EmrSearchResponse search(String token, EmrSearchRequest request)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject o = json.post("/emr-auth/searches", token, message(request.encode()), 200);
        return EmrSearchResponse.decode(curve, b64(o, "message"));
    }

    public record OpenedAccess(String sessionId, HospitalAccessResponse response) {
    }

    /** Search step 3 → 4 at the hospital private cloud. */
    public OpenedAccess openAccess(String token, String hospitalId, HospitalAccessRequest request)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject o = json.post("/emr-auth/hospitals/" + enc(hospitalId) + "/access-sessions", token, message(request.encode()), 201);
        return new OpenedAccess(o.getString("sessionId"), HospitalAccessResponse.decode(curve, b64(o, "message")));
    }

    public record Released(EmrDelivery delivery, long logIndex) {
    }

    /** Search step 5 → 6: the EMR, released after its access entry is on the ledger. */
    public Released release(String token, String hospitalId, String sessionId, EmrRequest request)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject o = json.post("/emr-auth/hospitals/" + enc(hospitalId) + "/access-sessions/" + enc(sessionId) + "/release",
                token, message(request.encode()), 200);
        return new Released(EmrDelivery.decode(curve, b64(o, "message")), o.getJsonNumber("logIndex").longValue());
    }

    /** A doctor-signed EMR version (FHIR R4 inside) stored at the hospital and indexed. */
    public JsonObject storeVersion(String token, String hospitalId, EmrVersionSubmission submission)
            throws IOException, InterruptedException, ApiProblem {
        return json.post("/emr-auth/hospitals/" + enc(hospitalId) + "/emr-versions", token, message(submission.encode()), 201);
    }

    /** A consent transaction the patient signed; returns the ledger receipt. */
    public JsonObject submitConsent(String token, byte[] signedTransaction) throws IOException, InterruptedException, ApiProblem {
        return json.post("/consents", token, JSON.createObjectBuilder().add("transaction", b64(signedTransaction)).build(), 201);
    }

    /** The caller's access entries with proofs (verify with {@link AccessAudit}). */
    public JsonObject accesses(String token, long since) throws IOException, InterruptedException, ApiProblem {
        return json.get("/audit/accesses?since=" + since, token, 200);
    }

    /** Drops a sealed message into {@code recipientId}'s mailbox. */
    public JsonObject relaySend(String token, String recipientId, String kind, byte[] sealed)
            throws IOException, InterruptedException, ApiProblem {
        return json.post("/relay/messages", token, JSON.createObjectBuilder().add("recipientId", recipientId).add("kind", kind)
                .add("body", b64(sealed)).build(), 201);
    }

    /** Takes the caller's oldest message of {@code kind} from {@code senderId}, if any (each message is handed out once). */
    public Optional<byte[]> relayTake(String token, String senderId, String kind)
            throws IOException, InterruptedException, ApiProblem {
        try {
            JsonObject o = json.post("/relay/inbox/take", token, JSON.createObjectBuilder().add("senderId", senderId)
                    .add("kind", kind).build(), 200);
            return Optional.of(b64(o, "body"));
        } catch (ApiProblem p) {
            if (p.status() == 404) {
                return Optional.empty();
            }
            throw p;
        }
    }

    private static JsonObject message(byte[] m) {
        return JSON.createObjectBuilder().add("message", b64(m)).build();
    }
}
