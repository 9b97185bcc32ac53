package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.emrauth.PatientDevice;
import org.medledger.protocol.emrauth.PatientConsultation;
import org.medledger.protocol.emrauth.DoctorConsultation;
import org.medledger.protocol.emrauth.SignalDelivery;
import org.medledger.protocol.emrauth.Doctor;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.common.PartialKeyRenewal;
import org.medledger.protocol.emrauth.EmrAuthRenewal;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.TrustContext;
import org.medledger.client.MedLedgerClient;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.client.pki.IssuedCredentials;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.bouncycastle.math.ec.ECPoint;
import jakarta.json.Json;
import java.time.Duration;
import java.time.Instant;
import org.medledger.protocol.emrauth.RegistrationResponse;

/**
 * Rotation of the KGC master key pair (issue 15) on a server of the test's own ({@link SecondServer}),
 * so the shared test server keeps its key: a kgc-operator rotates; the rotation is a ledger entry;
 * new registrations are issued under the new key id, the one made before stays listed under its key
 * id and verifies against the older {@code PK}, which the public-key endpoint keeps serving; after a
 * restart (the node verifies its whole chain, the rotation included, on open) the new key is still
 * current and the next rotation continues the chain. Only a kgc-operator rotates.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KgcKeyRotationIT {

    static final CurveProfile CURVE = CurveProfile.p256();
    static final SecureRandom RANDOM = new SecureRandom();

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Deployments.medledgerEar();
    }

    @BeforeAll
    static void keycloak() {
        KeycloakServer.ensureStarted();
    }

    private static HttpResponse<String> post(SecondServer server, String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.api() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return server.send(b);
    }

    private static HttpResponse<String> get(SecondServer server, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.api() + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return server.send(b);
    }

    private static MasterPublicKey pk(JsonObject o) throws ProtocolException {
        return MasterPublicKey.decode(CURVE, Base64.getDecoder().decode(o.getString("publicKey")));
    }

    /** A registered patient: its id, device secret and KGC answer. */
    record Patient(String id, byte[] bP, JsonObject issued) {
        RegistrationResponse response() throws ProtocolException {
            return RegistrationResponse.fromFields(CURVE, Base64.getDecoder().decode(issued.getString("rP1")),
                    Base64.getDecoder().decode(issued.getString("sP")));
        }

        /** eq. 4 on the device, against {@code pk}. */
        void verifyUnder(MasterPublicKey pk) throws ProtocolException {
            new PatientDevice(Environment.of(CURVE, Clock.systemUTC(), RANDOM), pk, id, SecretBytes.copyOf(bP))
                    .acceptRegistration(response());
        }
    }

    private static Patient register(SecondServer server, String token, String id) {
        byte[] bP = KgcRegistrationIT.biometric();
        HttpResponse<String> r = post(server, "/kgc/registrations/patients", token, KgcRegistrationIT.body(id, bP));
        assertEquals(201, r.statusCode(), r.body());
        return new Patient(id, bP, Http.json(r));
    }

    @Test
    void anOperatorRotatesTheMasterKeyAndOlderRegistrationsStayVerifiable() throws Exception {
        try (SecondServer server = SecondServer.prepare("servers-kgc-rotation")) {
            server.start();
            String op = Tokens.forUser("kgc-operator");
            JsonObject before = Http.json(get(server, "/kgc/public-key", null));
            String keyA = before.getString("keyId");
            MasterPublicKey pkA = pk(before);
            assertEquals(1, before.getJsonArray("keys").size());
            assertEquals("current", before.getJsonArray("keys").getJsonObject(0).getString("state"));

            Patient first = register(server, op, "p-rot-1");
            assertEquals(keyA, first.issued().getString("kgcKeyId"));
            EmrAuthClient api = new EmrAuthClient(server.client(), URI.create(server.api()), CURVE);
            patientA = Party.patient(server, api);
            patientC = Party.patient(server, api);
            doctorA = Party.doctor(server, api);
            hospitalA = EmrAuthParties.unique("rot-hpc");
            api.registerHospital(Tokens.forUser("hospital-admin"), hospitalA);

            // only a kgc-operator rotates
            assertEquals(401, post(server, "/kgc/keys/master/rotation", null, "").statusCode());
            HttpResponse<String> refused = post(server, "/kgc/keys/master/rotation", Tokens.forUser("patient"), "");
            assertEquals(403, refused.statusCode(), refused.body());
            assertEquals(keyA, Http.json(get(server, "/kgc/public-key", null)).getString("keyId"), "a refused rotation changes nothing");

            long sizeBefore = treeSize(server);
            HttpResponse<String> rotated = post(server, "/kgc/keys/master/rotation", op, "");
            assertEquals(201, rotated.statusCode(), rotated.body());
            JsonObject rot = Http.json(rotated);
            String keyB = rot.getString("keyId");
            assertEquals(keyA, rot.getString("previousKeyId"));
            assertNotEquals(keyA, keyB);
            assertEquals(2, rot.getInt("generation"));
            long logIndex = rot.getJsonNumber("logIndex").longValue();
            assertTrue(logIndex >= sizeBefore && treeSize(server) > logIndex, "the rotation is a ledger entry");

            JsonObject after = Http.json(get(server, "/kgc/public-key", null));
            assertEquals(keyB, after.getString("keyId"), "the new key id is current");
            MasterPublicKey pkB = pk(after);
            JsonArray keys = after.getJsonArray("keys");
            assertEquals(2, keys.size());
            assertEquals(keyA, keys.getJsonObject(0).getString("keyId"));
            assertEquals("verification only", keys.getJsonObject(0).getString("state"));
            assertEquals(pkA, pk(keys.getJsonObject(0)), "the older PK stays published");
            assertEquals(keyB, keys.getJsonObject(1).getString("keyId"));
            assertEquals("current", keys.getJsonObject(1).getString("state"));
            assertEquals(keyB, Http.json(get(server, "/emr-auth/trust", op)).getString("kgcKeyId"),
                    "the public cloud's trust material names the current key id");

            // new registrations are issued under the new key; the older one stays listed under its key id
            Patient second = register(server, op, "p-rot-2");
            assertEquals(keyB, second.issued().getString("kgcKeyId"));
            assertDoesNotThrow(() -> second.verifyUnder(pkB));
            assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class, () -> second.verifyUnder(pkA)).reason());
            String auditor = Tokens.forUser("auditor");
            assertEquals(keyA, Http.json(get(server, "/kgc/registrations/patients/p-rot-1", auditor)).getString("kgcKeyId"));
            assertEquals(keyB, Http.json(get(server, "/kgc/registrations/patients/p-rot-2", auditor)).getString("kgcKeyId"));
            assertDoesNotThrow(() -> first.verifyUnder(pkA), "a partial key issued before the rotation verifies under its key id");
            assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class, () -> first.verifyUnder(pkB)).reason());

            renewalAfterRotation(server, keyA, pkA, keyB, pkB);
            hospitalCloudRenewal(server, keyA, keyB);

            // a restart: the node verifies its chain (the rotation entry included) on open; the new key stays current
            server.kill9();
            server.start();
            JsonObject restarted = Http.json(get(server, "/kgc/public-key", null));
            assertEquals(keyB, restarted.getString("keyId"));
            assertEquals(2, restarted.getJsonArray("keys").size());
            String op2 = Tokens.forUser("kgc-operator");
            JsonObject next = Http.json(post(server, "/kgc/keys/master/rotation", op2, ""));
            assertEquals(keyB, next.getString("previousKeyId"), "the next rotation continues the chain");
            assertEquals(3, next.getInt("generation"));
            assertEquals(next.getString("keyId"), register(server, op2, "p-rot-3").issued().getString("kgcKeyId"));
        }
    }

    /** The ledger's size (0 while it is empty: the tree head is a 404 EMPTY_LEDGER then). */
    private static long treeSize(SecondServer server) {
        HttpResponse<String> r = get(server, "/ledger/tree-head", null);
        if (r.statusCode() == 404 && r.body().contains("EMPTY_LEDGER")) {
            return 0;
        }
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r).getJsonNumber("treeSize").longValue();
    }

    private static void assertRefused(int status, String code, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        assertEquals(code, Http.json(r).getString("code"), r.body());
    }

    /**
     * After a rotation from {@code keyA} to {@code keyB}: parties registered under {@code keyA} fail
     * closed in a new run and cannot register again; they renew (proof by the partial key they
     * hold; one ledger entry; both key ids listed) and the run succeeds. Refused: a wrong proof,
     * another party's proof or caller, a stale proof, an unknown party, the replayed renewal, a
     * renewal by the superseded key and one of a current party — each changing nothing.
     */
    private void renewalAfterRotation(SecondServer server, String keyA, MasterPublicKey pkA, String keyB, MasterPublicKey pkB)
            throws Exception {
        EmrAuthClient api = patientA.api();
        String pToken = patientA.token().get();
        EmrAuthClient.ServerTrust st = api.trust(pToken);
        TrustContext underB = new TrustContext(pkB, st.certifierKey(), api.directory(pToken), EmrAuthParties.deviceVerifier());
        assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class, () -> patientA.patientDevice(underB)).reason(),
                "a new run under the current PK refuses the partial key issued under the older key id");
        assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class, () -> doctorA.doctorDevice(underB)).reason());
        assertRefused(409, "ALREADY_REGISTERED", post(server, "/kgc/registrations/patients", pToken,
                KgcRegistrationIT.body(patientA.id(), patientA.bP().reveal())));

        RegistrationResponse held = patientA.held()[0];
        String renewal = patientA.path() + "/renewal";
        long size = treeSize(server);
        assertRefused(403, "NO_PROOF_OF_POSSESSION", post(server, renewal, pToken,
                patientA.renewalBody(keyA, held.r(), SecretScalar.random(CURVE, RANDOM), Instant.now())));
        assertRefused(403, "NO_PROOF_OF_POSSESSION", post(server, renewal, pToken,
                patientA.renewalBody(keyA, held.r(), patientC.held()[0].s(), Instant.now())));
        assertRefused(403, "NOT_OWN_IDENTITY", post(server, renewal, patientC.token().get(),
                patientA.renewalBody(keyA, held.r(), held.s(), Instant.now())));
        HttpResponse<String> byOperator = post(server, renewal, Tokens.forUser("kgc-operator"),
                patientA.renewalBody(keyA, held.r(), held.s(), Instant.now()));
        assertEquals(403, byOperator.statusCode(), "a party renews only itself: " + byOperator.body());
        assertRefused(400, "STALE_PROOF", post(server, renewal, pToken,
                patientA.renewalBody(keyA, held.r(), held.s(), Instant.now().minus(Duration.ofMinutes(10)))));
        assertRefused(404, "NOT_REGISTERED", post(server, "/kgc/registrations/patients/patient/renewal", Tokens.forUser("patient"),
                patientA.renewalBody(keyA, held.r(), held.s(), Instant.now())));
        String auditor = Tokens.forUser("auditor");
        assertEquals(keyA, Http.json(get(server, patientA.path(), auditor)).getString("kgcKeyId"), "refusals change nothing");
        assertEquals(size, treeSize(server), "refusals append nothing");

        // the renewal
        String body = patientA.renewalBody(keyA, held.r(), held.s(), Instant.now());
        HttpResponse<String> renewed = post(server, renewal, pToken, body);
        assertEquals(201, renewed.statusCode(), renewed.body());
        JsonObject rn = Http.json(renewed);
        assertEquals(keyB, rn.getString("kgcKeyId"));
        assertEquals(keyA, rn.getString("previousKeyId"));
        assertEquals(pkB, MasterPublicKey.decode(CURVE, Base64.getDecoder().decode(rn.getString("kgcPublicKey"))));
        long logIndex = rn.getJsonNumber("logIndex").longValue();
        assertEquals(size, logIndex, "the renewal is the next ledger entry");
        long after = treeSize(server);
        assertEquals(size + 1, after, "the renewal is one ledger entry");
        patientA.held()[0] = RegistrationResponse.fromFields(CURVE, Base64.getDecoder().decode(rn.getString("rP1")),
                Base64.getDecoder().decode(rn.getString("sP")));
        JsonObject listed = Http.json(get(server, patientA.path(), auditor));
        assertEquals(keyB, listed.getString("kgcKeyId"));
        JsonArray keys = listed.getJsonArray("keys");
        assertEquals(2, keys.size(), listed.toString());
        assertEquals(keyB, keys.getJsonObject(0).getString("kgcKeyId"));
        assertEquals("current", keys.getJsonObject(0).getString("state"));
        assertEquals(keyA, keys.getJsonObject(1).getString("kgcKeyId"));
        assertEquals("superseded", keys.getJsonObject(1).getString("state"));
        assertEquals(logIndex, keys.getJsonObject(1).getJsonNumber("logIndex").longValue());

        // after it: the replayed request, a fresh proof by the superseded key, a renewal of a current party
        assertRefused(409, "REPLAY", post(server, renewal, pToken, body));
        assertRefused(409, "SUPERSEDED_KEY", post(server, renewal, pToken,
                patientA.renewalBody(keyA, held.r(), held.s(), Instant.now().plusSeconds(2))));
        RegistrationResponse current = patientA.held()[0];
        assertRefused(409, "ALREADY_CURRENT", post(server, renewal, pToken,
                patientA.renewalBody(keyB, current.r(), current.s(), Instant.now())));
        assertEquals(after, treeSize(server), "refused renewals append nothing");

        // the doctor renews through the client SDK (proof by its partial key, its registered certificate)
        EmrAuthClient.Renewal dr = api.renewDoctor(doctorA.token().get(), doctorA.id(), doctorA.certificate(), pkA,
                doctorA.held()[0]);
        assertEquals(keyB, dr.kgcKeyId());
        assertEquals(keyA, dr.previousKeyId());
        doctorA.held()[0] = dr.response();
        assertEquals(keyB, Http.json(get(server, doctorA.path(), auditor)).getString("kgcKeyId"));

        // the new run succeeds: consultation between the renewed patient and doctor under the current PK (eq. 11–24)
        PatientDevice p = patientA.patientDevice(new TrustContext(pkB, st.certifierKey(), api.directory(pToken),
                EmrAuthParties.deviceVerifier()));
        Doctor d = doctorA.doctorDevice(new TrustContext(pkB, st.certifierKey(), api.directory(pToken),
                EmrAuthParties.deviceVerifier()));
        PatientConsultation pc = p.startConsultation(doctorA.id());
        DoctorConsultation dc = d.acceptConsultation(pc.request());
        byte[] signal = "ECG: sinus rhythm, 64 bpm".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SignalDelivery sd = pc.acceptResponse(dc.response(), signal);
        assertArrayEquals(signal, dc.readSignal(sd));
        // a party that did not renew still fails closed
        assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class,
                () -> patientC.patientDevice(new TrustContext(pkB, st.certifierKey(), api.directory(pToken),
                        EmrAuthParties.deviceVerifier()))).reason());
    }

    private String hospitalA;

    /** A hospital cloud registered under keyA: renewal due, renewed by its administrator only, once, as one ledger entry. */
    private void hospitalCloudRenewal(SecondServer server, String keyA, String keyB) throws Exception {
        String admin = Tokens.forUser("hospital-admin");
        String path = "/kgc/registrations/hospital-clouds/" + hospitalA;
        JsonObject due = Http.json(get(server, path, admin));
        assertEquals(keyA, due.getString("kgcKeyId"));
        assertEquals("renewal due", due.getJsonArray("keys").getJsonObject(0).getString("state"));
        long size = treeSize(server);
        assertEquals(403, post(server, path + "/renewal", Tokens.forUser("kgc-operator"), "").statusCode());
        assertEquals(403, post(server, path + "/renewal", patientA.token().get(), "").statusCode());
        assertRefused(404, "NOT_REGISTERED", post(server, "/kgc/registrations/hospital-clouds/no-such-hpc/renewal", admin, ""));
        assertEquals(size, treeSize(server), "refusals append nothing");
        HttpResponse<String> r = post(server, path + "/renewal", admin, "");
        assertEquals(201, r.statusCode(), r.body());
        JsonObject rn = Http.json(r);
        assertEquals(keyB, rn.getString("kgcKeyId"));
        assertEquals(keyA, rn.getString("previousKeyId"));
        assertEquals(size, rn.getJsonNumber("logIndex").longValue());
        assertEquals(size + 1, treeSize(server), "the renewal is one ledger entry");
        JsonObject now = Http.json(get(server, path, Tokens.forUser("auditor")));
        assertEquals(keyB, now.getString("kgcKeyId"), "the hospital's keys verify under the current PK (eq. 7)");
        JsonArray keys = now.getJsonArray("keys");
        assertEquals("current", keys.getJsonObject(0).getString("state"));
        assertEquals(keyA, keys.getJsonObject(1).getString("kgcKeyId"));
        assertEquals("superseded", keys.getJsonObject(1).getString("state"));
        assertRefused(409, "ALREADY_CURRENT", post(server, path + "/renewal", admin, ""));
        assertEquals(size + 1, treeSize(server));
    }

    private Party patientA;
    private Party patientC;
    private Party doctorA;

    /** A patient or doctor device registered (and certified) with the second server, before the rotation. */
    record Party(String role, String id, EmrAuthClient api, java.util.function.Supplier<String> token, SecretBytes bP,
                 IssuedCredentials credentials, PartyKeys keys, RegistrationResponse[] held) {

        static Party patient(SecondServer server, EmrAuthClient api) throws Exception {
            String id = EmrAuthParties.unique("rot-patient");
            KeycloakAdmin.createUser(id, "patient");
            KeycloakAdmin.setPassword(id, id + "-demo");
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            SecretBytes bP = SecretBytes.copyOf(b);
            String token = Tokens.forUser(id);
            RegistrationResponse issued = new MedLedgerClient(server.client(), URI.create(server.api()))
                    .registerPatient(token, id, bP, CURVE).response();
            PartyKeys keys = PartyKeys.generate(CURVE, RANDOM);
            api.certify(token, EmrAuthRoles.PATIENT, id, keys.signingPublic().encoded(), keys.kemPublic().encoded(),
                    P256SignatureScheme.generate(RANDOM).publicKey());
            return new Party(EmrAuthRoles.PATIENT, id, api, () -> Tokens.forUser(id), bP, null, keys, new RegistrationResponse[] {issued});
        }

        static Party doctor(SecondServer server, EmrAuthClient api) throws Exception {
            String id = EmrAuthParties.unique("rot-doctor");
            KeycloakAdmin.createUser(id, "doctor");
            IssuedCredentials c = ItPki.authority().issueDoctorWithNewKey(id, java.time.Duration.ofDays(2));
            java.util.function.Supplier<String> token = () -> {
                DoctorLogin.Outcome o = DoctorLogin.login(c.privateKey(), c.chain());
                assertTrue(o.succeeded(), o.body());
                return o.accessToken();
            };
            String t = token.get();
            RegistrationResponse issued = api.registerDoctor(t, id, c.certificate().getEncoded(),
                    (java.security.interfaces.ECPrivateKey) c.privateKey());
            PartyKeys keys = PartyKeys.generate(CURVE, RANDOM);
            api.certify(t, EmrAuthRoles.DOCTOR, id, keys.signingPublic().encoded(), keys.kemPublic().encoded(), null);
            return new Party(EmrAuthRoles.DOCTOR, id, api, token, null, c, keys, new RegistrationResponse[] {issued});
        }

        byte[] certificate() throws Exception {
            return credentials.certificate().getEncoded();
        }

        /** A new protocol run's device under {@code pk}: it checks its partial key first (eq. 4 / eq. 10). */
        PatientDevice patientDevice(TrustContext trust) throws ProtocolException {
            PatientDevice d = new PatientDevice(Environment.of(CURVE, Clock.systemUTC(), RANDOM), trust, keys, id, bP);
            d.acceptRegistration(held[0]);
            return d;
        }

        Doctor doctorDevice(TrustContext trust) throws Exception {
            Doctor d = new Doctor(Environment.of(CURVE, Clock.systemUTC(), RANDOM), trust, keys, id, certificate());
            d.acceptRegistration(held[0]);
            return d;
        }

        String path() {
            return "/kgc/registrations/" + role + "s/" + id;
        }

        /** A renewal request body proving possession of {@code s} under {@code keyId}, signed at {@code at}. */
        String renewalBody(String keyId, ECPoint r, SecretScalar s, Instant at) throws Exception {
            byte[] proof = PartialKeyRenewal.sign(EmrAuthRenewal.kind(role), s, id, keyId, r, at);
            var b = Json.createObjectBuilder();
            if (role.equals(EmrAuthRoles.PATIENT)) {
                b.add("biometricSecret", Base64.getEncoder().encodeToString(bP.reveal()));
            } else {
                b.add("certificate", Base64.getEncoder().encodeToString(certificate()));
            }
            return b.add("kgcKeyId", keyId).add("proofTime", at.toString()).add("proof", Base64.getEncoder().encodeToString(proof))
                    .build().toString();
        }
    }
}
