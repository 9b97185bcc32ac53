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

import org.junit.jupiter.api.Test;
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
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.medledger.client.ApiProblem;
import org.medledger.client.CachingDirectory;
import org.medledger.client.cli.MedLedgerCli;
import org.medledger.client.emrauth.DeviceStore;
import org.medledger.client.interhospital.InterHospitalClient;
import org.medledger.client.interhospital.InterHospitalDevice;
import org.medledger.protocol.common.VerificationKey;
import org.medledger.protocol.interhospital.InterHospitalRenewal;
import org.medledger.protocol.interhospital.PatientVisit;
import org.medledger.protocol.interhospital.RegistrationGrant;
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
class KgcKeyRotationIT extends DeployedServer {

    static final CurveProfile CURVE = CurveProfile.p256();
    static final SecureRandom RANDOM = new SecureRandom();

    private static HttpResponse<String> post(SecondServer server, String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.api() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
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
            JsonObject before = Http.json(server.get("/kgc/public-key", null));
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
            ih = new InterHospitalClient(server.client(), URI.create(server.api()), CURVE);
            ihHospital = EmrAuthParties.unique("rot-ih-h");
            ih.registerHospital(Tokens.forUser("hospital-admin"), ihHospital);
            ihPatient = IhPatient.register(server, ih, api, pkA);
            ihPatient2 = IhPatient.register(server, ih, api, pkA);
            // a long-lived device: one directory object for its runs before and after the hospital's renewal
            ihDirectory = ih.directory(() -> Tokens.forUser(ihPatient.id()));
            String earlyToken = Tokens.forUser(ihPatient.id());
            org.medledger.protocol.interhospital.Patient early = ihPatient.device(ih, earlyToken, ihDirectory, pkA);
            early.acceptRegistration(ihPatient.held());
            visit(early, earlyToken, ihHospital);
            ihDirectoryRead = System.nanoTime();

            // only a kgc-operator rotates
            assertEquals(401, post(server, "/kgc/keys/master/rotation", null, "").statusCode());
            HttpResponse<String> refused = post(server, "/kgc/keys/master/rotation", Tokens.forUser("patient"), "");
            assertEquals(403, refused.statusCode(), refused.body());
            assertEquals(keyA, Http.json(server.get("/kgc/public-key", null)).getString("keyId"), "a refused rotation changes nothing");

            long sizeBefore = server.treeSize();
            HttpResponse<String> rotated = post(server, "/kgc/keys/master/rotation", op, "");
            assertEquals(201, rotated.statusCode(), rotated.body());
            JsonObject rot = Http.json(rotated);
            String keyB = rot.getString("keyId");
            assertEquals(keyA, rot.getString("previousKeyId"));
            assertNotEquals(keyA, keyB);
            assertEquals(2, rot.getInt("generation"));
            long logIndex = rot.getJsonNumber("logIndex").longValue();
            assertTrue(logIndex >= sizeBefore && server.treeSize() > logIndex, "the rotation is a ledger entry");

            JsonObject after = Http.json(server.get("/kgc/public-key", null));
            assertEquals(keyB, after.getString("keyId"), "the new key id is current");
            MasterPublicKey pkB = pk(after);
            JsonArray keys = after.getJsonArray("keys");
            assertEquals(2, keys.size());
            assertEquals(keyA, keys.getJsonObject(0).getString("keyId"));
            assertEquals("verification only", keys.getJsonObject(0).getString("state"));
            assertEquals(pkA, pk(keys.getJsonObject(0)), "the older PK stays published");
            assertEquals(keyB, keys.getJsonObject(1).getString("keyId"));
            assertEquals("current", keys.getJsonObject(1).getString("state"));
            assertEquals(keyB, Http.json(server.get("/emr-auth/trust", op)).getString("kgcKeyId"),
                    "the public cloud's trust material names the current key id");

            // new registrations are issued under the new key; the older one stays listed under its key id
            Patient second = register(server, op, "p-rot-2");
            assertEquals(keyB, second.issued().getString("kgcKeyId"));
            assertDoesNotThrow(() -> second.verifyUnder(pkB));
            assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class, () -> second.verifyUnder(pkA)).reason());
            String auditor = Tokens.forUser("auditor");
            assertEquals(keyA, Http.json(server.get("/kgc/registrations/patients/p-rot-1", auditor)).getString("kgcKeyId"));
            assertEquals(keyB, Http.json(server.get("/kgc/registrations/patients/p-rot-2", auditor)).getString("kgcKeyId"));
            assertDoesNotThrow(() -> first.verifyUnder(pkA), "a partial key issued before the rotation verifies under its key id");
            assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class, () -> first.verifyUnder(pkB)).reason());

            renewalAfterRotation(server, keyA, pkA, keyB, pkB);
            hospitalCloudRenewal(server, keyA, keyB);
            interHospitalRenewal(server, keyA, pkA, keyB, pkB);

            // a restart: the node verifies its chain (the rotation entry included) on open; the new key stays current
            server.kill9();
            server.start();
            JsonObject restarted = Http.json(server.get("/kgc/public-key", null));
            assertEquals(keyB, restarted.getString("keyId"));
            assertEquals(2, restarted.getJsonArray("keys").size());
            String op2 = Tokens.forUser("kgc-operator");
            JsonObject next = Http.json(post(server, "/kgc/keys/master/rotation", op2, ""));
            assertEquals(keyB, next.getString("previousKeyId"), "the next rotation continues the chain");
            assertEquals(3, next.getInt("generation"));
            assertEquals(next.getString("keyId"), register(server, op2, "p-rot-3").issued().getString("kgcKeyId"));
            // the hospital cloud's renewal through the CLI (a hospital administrator's password login)
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(0, cli(server, out, err, Map.of("MEDLEDGER_PASSWORD", "hospital-admin-demo"), "renew", "--role", "hospital-cloud",
                    "--hospital", hospitalA, "--user", "hospital-admin"), err.toString(StandardCharsets.UTF_8));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("under KGC key id " + next.getString("keyId") + " (was " + keyB),
                    out.toString(StandardCharsets.UTF_8));
        }
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
        long size = server.treeSize();
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
        assertEquals(keyA, Http.json(server.get(patientA.path(), auditor)).getString("kgcKeyId"), "refusals change nothing");
        assertEquals(size, server.treeSize(), "refusals append nothing");

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
        long after = server.treeSize();
        assertEquals(size + 1, after, "the renewal is one ledger entry");
        patientA.held()[0] = RegistrationResponse.fromFields(CURVE, Base64.getDecoder().decode(rn.getString("rP1")),
                Base64.getDecoder().decode(rn.getString("sP")));
        JsonObject listed = Http.json(server.get(patientA.path(), auditor));
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
        assertEquals(after, server.treeSize(), "refused renewals append nothing");

        // the doctor renews through the client SDK (proof by its partial key, its registered certificate)
        EmrAuthClient.Renewal dr = api.renewDoctor(doctorA.token().get(), doctorA.id(), doctorA.certificate(), pkA,
                doctorA.held()[0]);
        assertEquals(keyB, dr.kgcKeyId());
        assertEquals(keyA, dr.previousKeyId());
        doctorA.held()[0] = dr.response();
        assertEquals(keyB, Http.json(server.get(doctorA.path(), auditor)).getString("kgcKeyId"));

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
        JsonObject due = Http.json(server.get(path, admin));
        assertEquals(keyA, due.getString("kgcKeyId"));
        assertEquals("renewal due", due.getJsonArray("keys").getJsonObject(0).getString("state"));
        long size = server.treeSize();
        assertEquals(403, post(server, path + "/renewal", Tokens.forUser("kgc-operator"), "").statusCode());
        assertEquals(403, post(server, path + "/renewal", patientA.token().get(), "").statusCode());
        assertRefused(404, "NOT_REGISTERED", post(server, "/kgc/registrations/hospital-clouds/no-such-hpc/renewal", admin, ""));
        assertEquals(size, server.treeSize(), "refusals append nothing");
        HttpResponse<String> r = post(server, path + "/renewal", admin, "");
        assertEquals(201, r.statusCode(), r.body());
        JsonObject rn = Http.json(r);
        assertEquals(keyB, rn.getString("kgcKeyId"));
        assertEquals(keyA, rn.getString("previousKeyId"));
        assertEquals(size, rn.getJsonNumber("logIndex").longValue());
        assertEquals(size + 1, server.treeSize(), "the renewal is one ledger entry");
        JsonObject now = Http.json(server.get(path, Tokens.forUser("auditor")));
        assertEquals(keyB, now.getString("kgcKeyId"), "the hospital's keys verify under the current PK (eq. 7)");
        JsonArray keys = now.getJsonArray("keys");
        assertEquals("current", keys.getJsonObject(0).getString("state"));
        assertEquals(keyA, keys.getJsonObject(1).getString("kgcKeyId"));
        assertEquals("superseded", keys.getJsonObject(1).getString("state"));
        assertRefused(409, "ALREADY_CURRENT", post(server, path + "/renewal", admin, ""));
        assertEquals(size + 1, server.treeSize());
    }

    private InterHospitalClient ih;
    private String ihHospital;
    private IhPatient ihPatient;
    private IhPatient ihPatient2;
    private org.medledger.protocol.common.PartyDirectory ihDirectory;
    private long ihDirectoryRead;

    private static int cli(SecondServer server, ByteArrayOutputStream out, ByteArrayOutputStream err, Map<String, String> env,
                           String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--api", server.api(), "--keycloak", ItConfig.keycloak())).toArray(String[]::new);
        return MedLedgerCli.execute(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env::get);
    }

    /** An INTER-HOSPITAL patient registered before the rotation, its device's secrets in a device store. */
    record IhPatient(String id, Path store, PartyKeys keys, VerificationKey certifier) {
        static final String STORE_PASSWORD = "device-pw";

        static IhPatient register(SecondServer server, InterHospitalClient ih, EmrAuthClient api, MasterPublicKey pk) throws Exception {
            String id = EmrAuthParties.unique("rot-ih-patient");
            KeycloakAdmin.createUser(id, "patient");
            KeycloakAdmin.setPassword(id, id + "-demo");
            String token = Tokens.forUser(id);
            PartyKeys keys = PartyKeys.generate(CURVE, RANDOM);
            RegistrationGrant grant = ih.registerPatient(token, id, keys.signingPublic().encoded(), keys.kemPublic().encoded(),
                    P256SignatureScheme.generate(RANDOM).publicKey());
            VerificationKey certifier = api.trust(token).certifierKey();
            IhPatient p = new IhPatient(id, Files.createTempDirectory("ih-renewal").resolve(id + ".p12"), keys, certifier);
            p.device(ih, token, pk).acceptRegistration(grant);
            DeviceStore s = p.open();
            try {
                InterHospitalDevice.save(s, keys, grant, pk, certifier, CURVE);
            } finally {
                s.destroy();
            }
            return p;
        }

        DeviceStore open() {
            return DeviceStore.open(store, STORE_PASSWORD.toCharArray());
        }

        RegistrationGrant held() throws Exception {
            DeviceStore s = open();
            try {
                return InterHospitalDevice.grant(s, CURVE);
            } finally {
                s.destroy();
            }
        }

        /** A new run's patient device trusting {@code pk} (eq. 5 is checked when it takes its grant). */
        org.medledger.protocol.interhospital.Patient device(InterHospitalClient ih, String token, MasterPublicKey pk) throws Exception {
            return device(ih, token, ih.directory(token), pk);
        }

        /** The same, reading entries from {@code directory}. */
        org.medledger.protocol.interhospital.Patient device(InterHospitalClient ih, String token,
                                                            org.medledger.protocol.common.PartyDirectory directory, MasterPublicKey pk) {
            return new org.medledger.protocol.interhospital.Patient(Environment.of(CURVE, Clock.systemUTC(), RANDOM),
                    new TrustContext(pk, certifier, directory, (c, i) -> { }), keys, id, ih.ledgerChecks(token));
        }

        String renewalBody(String keyId, ECPoint r, SecretScalar s, Instant at) {
            byte[] proof = PartialKeyRenewal.sign(InterHospitalRenewal.PATIENT, s, id, keyId, r, at);
            return Json.createObjectBuilder().add("kgcKeyId", keyId).add("proofTime", at.toString())
                    .add("proof", Base64.getEncoder().encodeToString(proof)).build().toString();
        }
    }

    /** One visit's steps 1–4 (seed 002, eq. 15–20) by {@code device} at {@code hospitalId}. */
    private void visit(org.medledger.protocol.interhospital.Patient device, String token, String hospitalId) throws Exception {
        PatientVisit v = device.visit(hospitalId);
        InterHospitalClient.OpenedVisit opened = ih.openVisit(token, hospitalId, v.hello());
        ih.confirmVisit(token, hospitalId, opened.sessionId(), v.acceptChallenge(opened.challenge(),
                "headache for 2 days".getBytes(StandardCharsets.UTF_8), Optional.empty()));
    }

    /**
     * After a rotation from {@code keyA} to {@code keyB}: the INTER-HOSPITAL hospital and patient
     * registered under {@code keyA} fail closed in a new visit; the hospital's administrator renews it
     * and the patient its own partial key (both through the CLI: the same proof, one ledger entry each,
     * the old key listed as superseded), and the visit succeeds. Every refusal changes nothing.
     */
    private void interHospitalRenewal(SecondServer server, String keyA, MasterPublicKey pkA, String keyB, MasterPublicKey pkB)
            throws Exception {
        String admin = Tokens.forUser("hospital-admin");
        String pToken = Tokens.forUser(ihPatient.id());
        RegistrationGrant held = ihPatient.held();
        // fail closed: the device under the current PK refuses its own partial key; the hospital refuses to run
        assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class,
                () -> ihPatient.device(ih, pToken, pkB).acceptRegistration(held)).reason());
        org.medledger.protocol.interhospital.Patient stale = ihPatient.device(ih, pToken, pkA);
        stale.acceptRegistration(held);
        ApiProblem due = assertThrows(ApiProblem.class, () -> visit(stale, pToken, ihHospital));
        assertEquals("PARTIAL_KEY_RENEWAL_DUE", due.code(), due.getMessage());

        // the hospital: renewal due; only its administrator renews it
        String path = "/inter-hospital/hospitals/" + ihHospital + "/partial-key";
        JsonObject st = ih.hospitalPartialKey(admin, ihHospital);
        assertEquals(keyA, st.getString("kgcKeyId"));
        assertEquals("renewal due", st.getJsonArray("keys").getJsonObject(0).getString("state"));
        long size = server.treeSize();
        assertEquals(403, post(server, path + "/renewal", Tokens.forUser("kgc-operator"), "").statusCode());
        assertEquals(403, post(server, path + "/renewal", pToken, "").statusCode());
        assertRefused(404, "NOT_REGISTERED", post(server, "/inter-hospital/hospitals/no-such-ih-h/partial-key/renewal", admin, ""));
        assertEquals(size, server.treeSize(), "refusals append nothing");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, cli(server, out, err, Map.of("MEDLEDGER_PASSWORD", "hospital-admin-demo"), "renew", "--role", "ih-hospital",
                "--hospital", ihHospital, "--user", "hospital-admin"), err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("under KGC key id " + keyB + " (was " + keyA + "), ledger entry " + size),
                out.toString(StandardCharsets.UTF_8));
        assertEquals(size + 1, server.treeSize(), "the renewal is one ledger entry");
        JsonObject now = ih.hospitalPartialKey(Tokens.forUser("auditor"), ihHospital);
        assertEquals(keyB, now.getString("kgcKeyId"), "the hospital's S_H satisfies eq. 13 under the current PK");
        assertEquals("current", now.getJsonArray("keys").getJsonObject(0).getString("state"));
        assertEquals(keyA, now.getJsonArray("keys").getJsonObject(1).getString("kgcKeyId"));
        assertEquals("superseded", now.getJsonArray("keys").getJsonObject(1).getString("state"));
        assertEquals(size, now.getJsonArray("keys").getJsonObject(1).getJsonNumber("logIndex").longValue());
        assertRefused(409, "ALREADY_CURRENT", post(server, path + "/renewal", admin, ""));
        // the patient still on keyA fails closed at the renewed hospital
        assertThrows(Exception.class, () -> visit(stale, pToken, ihHospital), "a partial key under the older key id does not run");

        // the patient: its registration lists the key id it was issued under, renewal due; refusals first, each changing nothing
        JsonObject before = Http.json(server.get("/inter-hospital/patients/" + ihPatient.id() + "/registration", pToken));
        assertEquals(keyA, before.getString("kgcKeyId"));
        assertEquals("renewal due", before.getJsonArray("keys").getJsonObject(0).getString("state"));
        assertEquals(403, server.get("/inter-hospital/patients/" + ihPatient.id() + "/registration", patientC.token().get())
                .statusCode(), "another patient reads nothing");
        String renewal = "/inter-hospital/patients/" + ihPatient.id() + "/registration/renewal";
        ECPoint r = held.rX();
        size = server.treeSize();
        assertRefused(403, "NO_PROOF_OF_POSSESSION", post(server, renewal, pToken,
                ihPatient.renewalBody(keyA, r, SecretScalar.random(CURVE, RANDOM), Instant.now())));
        assertRefused(403, "NOT_OWN_IDENTITY", post(server, renewal, patientC.token().get(),
                ihPatient.renewalBody(keyA, r, held.sX(), Instant.now())));
        assertEquals(403, post(server, renewal, Tokens.forUser("kgc-operator"), ihPatient.renewalBody(keyA, r, held.sX(), Instant.now()))
                .statusCode(), "a patient renews only itself");
        assertRefused(400, "STALE_PROOF", post(server, renewal, pToken,
                ihPatient.renewalBody(keyA, r, held.sX(), Instant.now().minus(Duration.ofMinutes(10)))));
        assertRefused(404, "UNKNOWN_PARTIAL_KEY", post(server, renewal, pToken,
                ihPatient.renewalBody("00112233445566778899aabbccddeeff", r, held.sX(), Instant.now())));
        assertRefused(404, "NOT_REGISTERED", post(server, "/inter-hospital/patients/" + patientC.id() + "/registration/renewal",
                patientC.token().get(), ihPatient.renewalBody(keyA, r, held.sX(), Instant.now())));
        assertEquals(size, server.treeSize(), "refusals append nothing");

        // the renewal (its device's proof by the held S_PAT); the answer passes eq. 5 under the current PK
        String body = ihPatient.renewalBody(keyA, r, held.sX(), Instant.now());
        HttpResponse<String> done = post(server, renewal, pToken, body);
        assertEquals(201, done.statusCode(), done.body());
        JsonObject rn = Http.json(done);
        assertEquals(keyB, rn.getString("kgcKeyId"));
        assertEquals(keyA, rn.getString("previousKeyId"));
        assertEquals(size, rn.getJsonNumber("logIndex").longValue());
        assertEquals(size + 1, server.treeSize(), "the renewal is one ledger entry");
        RegistrationGrant renewed = new RegistrationGrant(CURVE.decodePoint(Base64.getDecoder().decode(rn.getString("rPat"))),
                SecretScalar.decode(CURVE, Base64.getDecoder().decode(rn.getString("sPat"))),
                org.medledger.protocol.common.DirectoryEntry.decode(CURVE, Base64.getDecoder().decode(rn.getString("entry"))));

        JsonObject listed = Http.json(server.get("/inter-hospital/patients/" + ihPatient.id() + "/registration", Tokens.forUser("auditor")));
        assertEquals(keyB, listed.getString("kgcKeyId"));
        assertEquals("current", listed.getJsonArray("keys").getJsonObject(0).getString("state"));
        assertEquals(keyA, listed.getJsonArray("keys").getJsonObject(1).getString("kgcKeyId"));
        assertEquals("superseded", listed.getJsonArray("keys").getJsonObject(1).getString("state"));
        assertEquals(size, listed.getJsonArray("keys").getJsonObject(1).getJsonNumber("logIndex").longValue());

        // after it: the same request replayed, a fresh proof by the superseded key, a renewal of a current party
        assertRefused(409, "REPLAY", post(server, renewal, pToken, body));
        assertRefused(409, "SUPERSEDED_KEY", post(server, renewal, pToken,
                ihPatient.renewalBody(keyA, r, held.sX(), Instant.now().plusSeconds(2))));
        assertRefused(409, "ALREADY_CURRENT", post(server, renewal, pToken,
                ihPatient.renewalBody(keyB, renewed.rX(), renewed.sX(), Instant.now())));
        assertEquals(size + 1, server.treeSize(), "refused renewals append nothing");

        // the new run succeeds: the renewed patient visits the renewed hospital under the current PK, with the
        // directory its device held since its run before the rotation (once an entry's age is up, the
        // hospital's entry re-certified by the renewal is read again)
        long age = CachingDirectory.MAX_AGE.toNanos() - (System.nanoTime() - ihDirectoryRead);
        if (age > 0) {
            Thread.sleep(age / 1_000_000 + 1);
        }
        org.medledger.protocol.interhospital.Patient fresh = ihPatient.device(ih, pToken, ihDirectory, pkB);
        fresh.acceptRegistration(renewed);
        assertDoesNotThrow(() -> visit(fresh, pToken, ihHospital));

        // another patient renews through the CLI: proof by the S_PAT in its device store, eq. 5 checked there, the store updated
        out.reset();
        err.reset();
        assertEquals(0, cli(server, out, err, Map.of("MEDLEDGER_PASSWORD", ihPatient2.id() + "-demo", "MEDLEDGER_DEVICE_PASSWORD",
                IhPatient.STORE_PASSWORD), "renew", "--role", "ih-patient", "--user", ihPatient2.id(), "--store",
                ihPatient2.store().toString()), err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("under KGC key id " + keyB + " (was " + keyA + ")"),
                out.toString(StandardCharsets.UTF_8));
        String p2 = Tokens.forUser(ihPatient2.id());
        org.medledger.protocol.interhospital.Patient second = ihPatient2.device(ih, p2, pkB);
        second.acceptRegistration(ihPatient2.held());
        assertDoesNotThrow(() -> visit(second, p2, ihHospital));
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
