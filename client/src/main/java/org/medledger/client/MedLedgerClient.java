package org.medledger.client;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Base64;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.emrauth.RegistrationResponse;

/** The MedLedger REST API as seen from a device. */
public final class MedLedgerClient {

    private final JsonApi json;

    public MedLedgerClient(HttpClient http, URI apiBase) {
        this.json = new JsonApi(http, apiBase, Duration.ofSeconds(30));
    }

    /** The KGC public key {@code PK}, validated as a point of {@code curve}. */
    public MasterPublicKey kgcPublicKey(CurveProfile curve) throws IOException, InterruptedException, ApiProblem,
            ProtocolException {
        JsonObject body = json.get("/kgc/public-key", null, 200);
        requireCurve(curve, body.getString("curve"));
        return MasterPublicKey.decode(curve, Base64.getDecoder().decode(body.getString("publicKey")));
    }

    /** What the KGC returned for a patient registration, decoded and point-validated. */
    public record PatientRegistrationResult(RegistrationResponse response, MasterPublicKey kgcPublicKey,
                                            String kgcKeyId) {
    }

    /** {@code POST /kgc/registrations/patients} with {@code (ID_P, B_P)} (seed 000, registration step 1). */
    public PatientRegistrationResult registerPatient(String accessToken, String patientId, SecretBytes bP,
                                                     CurveProfile curve)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject request = Json.createObjectBuilder()
                .add("patientId", patientId)
                .add("biometricSecret", Base64.getEncoder().encodeToString(bP.reveal()))
                .build();
        JsonObject body = json.post("/kgc/registrations/patients", accessToken, request, 201);
        requireCurve(curve, body.getString("curve"));
        Base64.Decoder b64 = Base64.getDecoder();
        RegistrationResponse response = RegistrationResponse.fromFields(curve,
                b64.decode(body.getString("rP1")), b64.decode(body.getString("sP")));
        MasterPublicKey pk = MasterPublicKey.decode(curve, b64.decode(body.getString("kgcPublicKey")));
        return new PatientRegistrationResult(response, pk, body.getString("kgcKeyId"));
    }

    private static void requireCurve(CurveProfile curve, String name) throws ApiProblem {
        if (!curve.name().equals(name)) {
            throw new ApiProblem(200, "CURVE_MISMATCH", "server uses " + name + ", device expects " + curve.name());
        }
    }
}
