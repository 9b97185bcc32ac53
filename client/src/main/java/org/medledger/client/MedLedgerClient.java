package org.medledger.client;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.emrauth.RegistrationResponse;

/** The MedLedger REST API as seen from a device. */
public final class MedLedgerClient {

    private final HttpClient http;
    private final String api;

    public MedLedgerClient(HttpClient http, URI apiBase) {
        this.http = Objects.requireNonNull(http, "HTTP client is required.");
        this.api = apiBase.toString().replaceAll("/+$", "");
    }

    /** The KGC public key {@code PK}, validated as a point of {@code curve}. */
    public MasterPublicKey kgcPublicKey(CurveProfile curve) throws IOException, InterruptedException, ApiProblem,
            ProtocolException {
        JsonObject body = send(HttpRequest.newBuilder(URI.create(api + "/kgc/public-key"))
                .header("Accept", "application/json").GET(), 200);
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
        String request = Json.createObjectBuilder()
                .add("patientId", patientId)
                .add("biometricSecret", Base64.getEncoder().encodeToString(bP.reveal()))
                .build().toString();
        JsonObject body = send(HttpRequest.newBuilder(URI.create(api + "/kgc/registrations/patients"))
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request)), 201);
        requireCurve(curve, body.getString("curve"));
        Base64.Decoder b64 = Base64.getDecoder();
        RegistrationResponse response = RegistrationResponse.fromFields(curve,
                b64.decode(body.getString("rP1")), b64.decode(body.getString("sP")));
        MasterPublicKey pk = MasterPublicKey.decode(curve, b64.decode(body.getString("kgcPublicKey")));
        return new PatientRegistrationResult(response, pk, body.getString("kgcKeyId"));
    }

    private JsonObject send(HttpRequest.Builder request, int expected)
            throws IOException, InterruptedException, ApiProblem {
        HttpResponse<String> res = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonObject body = Json2.parseObject(res.body());
        if (res.statusCode() != expected) {
            String code = body != null && body.containsKey("code") ? body.getString("code") : "HTTP_" + res.statusCode();
            String detail = body != null && body.containsKey("detail") ? body.getString("detail")
                    : (res.statusCode() == 401 ? "not authenticated" : "unexpected response");
            throw new ApiProblem(res.statusCode(), code, detail);
        }
        if (body == null) {
            throw new ApiProblem(res.statusCode(), "BAD_RESPONSE", "the server did not answer with a JSON object");
        }
        return body;
    }

    private static void requireCurve(CurveProfile curve, String name) throws ApiProblem {
        if (!curve.name().equals(name)) {
            throw new ApiProblem(200, "CURVE_MISMATCH", "server uses " + name + ", device expects " + curve.name());
        }
    }
}
