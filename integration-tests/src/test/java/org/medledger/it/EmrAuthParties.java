package org.medledger.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.medledger.client.MedLedgerClient;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.client.pki.IssuedCredentials;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.protocol.common.CertificateVerifier;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.PkixCertificateVerifier;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.emrauth.Doctor;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.emrauth.PatientDevice;
import org.medledger.protocol.emrauth.RegistrationResponse;
import org.medledger.protocol.pki.DoctorRole;
import org.medledger.protocol.pki.OcspStatusSource;
import org.medledger.transport.HttpOcspTransport;

/**
 * Devices of EMR-AUTH parties for the integration tests, built exactly as the client builds them:
 * each party generates its own keys, registers with the KGC over HTTP with a real Keycloak token,
 * checks its partial key and has its public keys certified; fresh Keycloak users per test run
 * (created with {@link KeycloakAdmin}).
 */
final class EmrAuthParties {

    static final CurveProfile CURVE = CurveProfile.p256();
    static final SecureRandom RANDOM = new SecureRandom();
    static final EmrAuthClient API = new EmrAuthClient(Http.client(), URI.create(ItConfig.api()), CURVE);

    private EmrAuthParties() {
    }

    static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(RANDOM.nextLong() & 0xffffffffL);
    }

    static Environment env() {
        return env(Clock.systemUTC());
    }

    static Environment env(Clock clock) {
        return Environment.of(CURVE, clock, RANDOM);
    }

    /** The device's view of the medical authority: PKIX to the CA, revocation from the OCSP responder. */
    static CertificateVerifier deviceVerifier() {
        Clock clock = Clock.systemUTC();
        return new PkixCertificateVerifier(ItPki.authority().certificate(), List.of(),
                OcspStatusSource.builder(clock, RANDOM, HttpOcspTransport.withTimeout(java.time.Duration.ofSeconds(3))).responder(URI.create("http://127.0.0.1:" + ItPki.ocspPort() + "/")).build(),
                clock, PkixCertificateVerifier::subjectCommonName, DoctorRole::isPresentIn);
    }

    /** The EMR-AUTH client of the server at {@code api}: {@link #API} for the shared test server. */
    static EmrAuthClient client(String api) {
        return api.equals(ItConfig.api()) ? API : new EmrAuthClient(Http.client(), URI.create(api), CURVE);
    }

    static TrustContext trust(String token) throws Exception {
        return trust(ItConfig.api(), token);
    }

    /** A device's trust in the server at {@code api}: its KGC's public key, certifier key and directory. */
    static TrustContext trust(String api, String token) throws Exception {
        MasterPublicKey pk = KgcRegistrationIT.publicKey(api);
        EmrAuthClient.ServerTrust t = client(api).trust(token);
        return new TrustContext(pk, t.certifierKey(), client(api).directory(token), deviceVerifier());
    }

    /** A patient device, registered and certified, with its ledger key for consent transactions and its own keys. */
    record Patient(String id, String token, PatientDevice device, Signer ledgerKey, PartyKeys keys) {
    }

    static Patient patient() throws Exception {
        return patient(ItConfig.api());
    }

    /** A patient registered at the server at {@code api}. */
    static Patient patient(String api) throws Exception {
        String id = unique("emr-patient");
        KeycloakAdmin.createUser(id, "patient");
        KeycloakAdmin.setPassword(id, id + "-demo");
        String token = Tokens.forUser(id);
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        SecretBytes bP = SecretBytes.copyOf(b);
        MedLedgerClient kgc = new MedLedgerClient(Http.client(), URI.create(api));
        RegistrationResponse issued = kgc.registerPatient(token, id, bP, CURVE).response();
        PartyKeys keys = PartyKeys.generate(CURVE, RANDOM);
        PatientDevice device = new PatientDevice(env(), trust(api, token), keys, id, bP);
        device.acceptRegistration(issued);
        Signer ledger = P256SignatureScheme.generate(RANDOM);
        client(api).certify(token, EmrAuthRoles.PATIENT, id, keys.signingPublic().encoded(), keys.kemPublic().encoded(), ledger.publicKey());
        return new Patient(id, token, device, ledger, keys);
    }

    /** A doctor device: certificate from the test medical authority, X.509 login, KGC registration, certified keys. */
    record Medic(String id, IssuedCredentials credentials, Doctor device) {
        String token() {
            DoctorLogin.Outcome o = DoctorLogin.login(credentials.privateKey(), credentials.chain());
            if (!o.succeeded()) {
                throw new IllegalStateException("doctor login failed: " + o.body());
            }
            return o.accessToken();
        }
    }

    static Medic doctor() throws Exception {
        return doctor(Clock.systemUTC());
    }

    /** A doctor whose device stamps its messages by {@code clock} (e.g. one running ahead within the window). */
    static Medic doctor(Clock clock) throws Exception {
        return doctor(ItConfig.api(), clock);
    }

    /** A doctor registered at the server at {@code api}, its device stamping its messages by {@code clock}. */
    static Medic doctor(String api, Clock clock) throws Exception {
        String id = unique("emr-doctor");
        KeycloakAdmin.createUser(id, "doctor");
        IssuedCredentials c = ItPki.authority().issueDoctorWithNewKey(id, Duration.ofDays(2));
        DoctorLogin.Outcome login = DoctorLogin.login(c.privateKey(), c.chain());
        if (!login.succeeded()) {
            throw new IllegalStateException("doctor login failed: " + login.body());
        }
        String token = login.accessToken();
        java.time.Instant at = java.time.Instant.now();
        // The device proves possession of the certificate's key to the KGC.
        byte[] proof = org.medledger.protocol.pki.RegistrationProof.sign((java.security.interfaces.ECPrivateKey) c.privateKey(), id,
                c.certificate().getEncoded(), at);
        String body = Json.createObjectBuilder().add("doctorId", id)
                .add("certificate", Base64.getEncoder().encodeToString(c.certificate().getEncoded()))
                .add("proofTime", at.toString()).add("proof", Base64.getEncoder().encodeToString(proof)).build().toString();
        var r = Http.send(java.net.http.HttpRequest.newBuilder(URI.create(api + "/kgc/registrations/doctors"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("doctor registration failed: " + r.body());
        }
        JsonObject o = Http.json(r);
        Base64.Decoder b64 = Base64.getDecoder();
        PartyKeys keys = PartyKeys.generate(CURVE, RANDOM);
        Doctor device = new Doctor(env(clock), trust(api, token), keys, id, c.certificate().getEncoded());
        device.acceptRegistration(RegistrationResponse.fromFields(CURVE, b64.decode(o.getString("rD1")), b64.decode(o.getString("sD"))));
        client(api).certify(token, EmrAuthRoles.DOCTOR, id, keys.signingPublic().encoded(), keys.kemPublic().encoded(), null);
        return new Medic(id, c, device);
    }

    /** A hospital private cloud registered by the hospital administrator (eq. 5–7 run on the server). */
    static String hospital() throws Exception {
        return hospital(ItConfig.api());
    }

    /** A hospital private cloud registered at the server at {@code api}. */
    static String hospital(String api) throws Exception {
        String id = unique("emr-hpc");
        client(api).registerHospital(Tokens.forUser("hospital-admin"), id);
        return id;
    }

    /** A realistic FHIR R4 record: a Bundle with a patient, an encounter, a condition and an observation. */
    static String fhirBundle(String patientId, String note) {
        return """
                {"resourceType":"Bundle","type":"collection","entry":[
                 {"resource":{"resourceType":"Patient","id":"%1$s","identifier":[{"system":"urn:medledger:patient","value":"%1$s"}]}},
                 {"resource":{"resourceType":"Encounter","id":"e1","status":"finished",
                   "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"subject":{"reference":"Patient/%1$s"}}},
                 {"resource":{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/%1$s"},
                   "code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertension"}],"text":"%2$s"}}},
                 {"resource":{"resourceType":"Observation","id":"o1","status":"final","subject":{"reference":"Patient/%1$s"},
                   "code":{"coding":[{"system":"http://loinc.org","code":"8480-6","display":"Systolic blood pressure"}]},
                   "valueQuantity":{"value":152,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}}]}
                """.formatted(patientId, note);
    }
}
