package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.medledger.client.pki.AuthoritySettings;
import org.medledger.client.pki.DoctorCertificateRequest;
import org.medledger.client.pki.IssuedCredentials;
import org.medledger.client.pki.MedicalAuthority;
import org.medledger.client.pki.RevocationReason;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.emrauth.Doctor;
import org.medledger.protocol.emrauth.RegistrationResponse;
import org.medledger.protocol.pki.RegistrationProof;

/**
 * Doctor identity end to end: certificates from the project's medical-authority tooling, the
 * Keycloak X.509 login (CRL and OCSP checked, fail closed), and the KGC's doctor registration
 * taking the same trust decision on {@code Cert_D}. Every defect is refused at both places.
 */
// The two tests that stop and restart the OCSP responder run last: right after a restart
// Keycloak's first OCSP request was at times refused, which made the next test's refusal read
// "OCSP check failed" instead of its own reason.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DoctorCertificateIT extends DeployedServer {

    static final String PATH = "/kgc/registrations/doctors";

    private static MedicalAuthority ma() {
        return ItPki.authority();
    }

    /** A doctor's key and certificate chain. */
    record Credentials(java.security.PrivateKey privateKey, X509Certificate certificate, X509Certificate[] chain) {
        static Credentials of(IssuedCredentials c) {
            return new Credentials(c.privateKey(), c.certificate(), c.chain());
        }
    }

    private static Credentials issue(String doctorId, Instant notBefore, Instant notAfter, boolean clientAuth)
            throws Exception {
        KeyPair keys = MedicalAuthority.generateKeyPair(new SecureRandom());
        DoctorCertificateRequest req = DoctorCertificateRequest.of(doctorId, keys.getPublic(), notBefore, notAfter);
        if (!clientAuth) {
            req = req.withoutClientAuth();
        }
        X509Certificate cert = ma().issueDoctor(req);
        return new Credentials(keys.getPrivate(), cert, new X509Certificate[] {cert, ma().certificate()});
    }

    private static Credentials valid(String doctorId) throws Exception {
        Instant now = Instant.now();
        return issue(doctorId, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)), true);
    }

    /** A registration request signed by the doctor's device (proof of possession of the key). */
    static String registrationBody(String doctorId, Credentials c, java.security.PrivateKey signer, Instant at)
            throws Exception {
        byte[] der = c.certificate().getEncoded();
        byte[] proof = RegistrationProof.sign((java.security.interfaces.ECPrivateKey) signer, doctorId, der, at);
        return Json.createObjectBuilder().add("doctorId", doctorId)
                .add("certificate", Base64.getEncoder().encodeToString(der))
                .add("proofTime", at.toString())
                .add("proof", Base64.getEncoder().encodeToString(proof)).build().toString();
    }

    private static HttpResponse<String> register(String token, String doctorId, Credentials c) throws Exception {
        return Http.postJson(PATH, token, registrationBody(doctorId, c, c.privateKey(), Instant.now()));
    }

    private static void assertRefusedAtLogin(Credentials c, String... anyOf) {
        DoctorLogin.Outcome o = DoctorLogin.login(c.privateKey(), c.chain());
        assertFalse(o.succeeded(), "login must be refused: " + o.body());
        if (anyOf.length > 0) {
            String said = o.body().toLowerCase(Locale.ROOT);
            boolean matched = false;
            for (String s : anyOf) {
                matched |= said.contains(s.toLowerCase(Locale.ROOT));
            }
            assertTrue(matched, "refusal should say one of " + String.join(" | ", anyOf) + ": " + o.body());
        }
    }

    private static void assertRefusedByKgc(Credentials c, String doctorId, int status, String code)
            throws Exception {
        HttpResponse<String> r = register(Tokens.forUser("kgc-operator"), doctorId, c);
        KgcRegistrationIT.assertProblem(r, status, code);
    }

    @Test
    void validCertificateLogsInAsDoctorAndRegistersWithTheKgc() throws Exception {
        Credentials c = valid("doctor");
        DoctorLogin.Outcome login = DoctorLogin.login(c.privateKey(), c.chain());
        assertTrue(login.succeeded(), login.body());
        JsonObject claims = Json.createReader(new java.io.StringReader(new String(
                Base64.getUrlDecoder().decode(login.accessToken().split("\\.")[1])))).readObject();
        assertEquals("doctor", claims.getString("preferred_username"));
        assertTrue(claims.getJsonObject("realm_access").getJsonArray("roles").getValuesAs(jakarta.json.JsonString.class)
                .stream().anyMatch(s -> s.getString().equals("doctor")));

        HttpResponse<String> r = register(login.accessToken(), "doctor", c);
        assertEquals(201, r.statusCode(), r.body());
        JsonObject o = Http.json(r);
        CurveProfile curve = CurveProfile.p256();
        MasterPublicKey pk = KgcRegistrationIT.publicKey();
        Doctor device = new Doctor(Environment.of(curve, Clock.systemUTC(), new SecureRandom()), pk, "doctor",
                c.certificate().getEncoded());
        Base64.Decoder b64 = Base64.getDecoder();
        // S_D·P == R_D1 + H(ID_D‖Cert_D‖R_D1)·PK  (seed 000, eq. 10)
        assertDoesNotThrow(() -> device.acceptRegistration(RegistrationResponse.fromFields(curve,
                b64.decode(o.getString("rD1")), b64.decode(o.getString("sD")))));
    }

    @Test
    void passwordLoginOfADoctorIsRefused() {
        HttpResponse<String> r = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        ItConfig.keycloak() + "/realms/medledger/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "grant_type=password&client_id=medledger-cli&username=doctor&password=doctor-demo")));
        assertTrue(r.statusCode() >= 400, r.body());
        assertFalse(r.body().contains("access_token"));
    }

    @Test
    void certificateRevokedByCrlIsRefusedAtLoginAndByTheKgc() throws Exception {
        Credentials c = valid("dr-crl");
        ma().revoke(c.certificate().getSerialNumber(), RevocationReason.KEY_COMPROMISE, Instant.now());
        ItPki.publishCrl();
        assertRefusedAtLogin(c, "revoked");
        assertRefusedByKgc(c, "dr-crl", 403, "CERT_REVOKED");
    }

    @Test
    void certificateRevokedOnlyByOcspIsRefusedAtLoginAndByTheKgc() throws Exception {
        Credentials c = valid("dr-ocsp");
        ItPki.publishCrl(); // the CRL in force does not list it yet: only OCSP knows
        ma().revoke(c.certificate().getSerialNumber(), RevocationReason.PRIVILEGE_WITHDRAWN, Instant.now());
        assertRefusedAtLogin(c, "revoked");
        assertRefusedByKgc(c, "dr-ocsp", 403, "CERT_REVOKED");
    }

    @Test
    @Order(Integer.MAX_VALUE - 1)
    void ocspResponderDownFailsClosedAtLoginAndAtTheKgc() throws Exception {
        Credentials c = valid("dr-ocsp-down");
        ItPki.publishCrl();
        ItPki.stopResponder();
        try {
            assertRefusedAtLogin(c, "OCSP");
            assertRefusedByKgc(c, "dr-ocsp-down", 503, "CERT_STATUS_UNKNOWN");
        } finally {
            ItPki.startResponder();
        }
    }

    @Test
    void expiredCertificateIsRefused() throws Exception {
        Instant now = Instant.now();
        Credentials c = issue("dr-expired", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)), true);
        // Refused in the TLS handshake already (Keycloak's trust store validates the chain), or by Keycloak.
        assertRefusedAtLogin(c, "TLS", "expired");
        assertRefusedByKgc(c, "dr-expired", 403, "CERT_INVALID");
    }

    @Test
    void notYetValidCertificateIsRefused() throws Exception {
        Instant now = Instant.now();
        Credentials c = issue("dr-future", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)), true);
        assertRefusedAtLogin(c, "TLS", "not valid yet", "not yet valid");
        assertRefusedByKgc(c, "dr-future", 403, "CERT_INVALID");
    }

    @Test
    void certificateWithoutClientAuthIsRefused() throws Exception {
        Instant now = Instant.now();
        Credentials c = issue("dr-no-eku", now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)), false);
        assertRefusedAtLogin(c, "TLS", "extended key usage");
        assertRefusedByKgc(c, "dr-no-eku", 403, "CERT_INVALID");
    }

    @Test
    void certificateFromAnUntrustedAuthorityIsRefused() throws Exception {
        Path dir = Files.createTempDirectory(ItConfig.output(), "rogue-authority-");
        Files.delete(dir);
        MedicalAuthority rogue = MedicalAuthority.create(dir, AuthoritySettings.defaults(), "rogue-pass".toCharArray(),
                Clock.systemUTC(), new SecureRandom());
        Credentials c = Credentials.of(rogue.issueDoctorWithNewKey("doctor", Duration.ofDays(1)));
        assertRefusedAtLogin(c, "TLS", "trust");
        Credentials stranger = Credentials.of(rogue.issueDoctorWithNewKey("dr-rogue", Duration.ofDays(1)));
        assertRefusedByKgc(stranger, "dr-rogue", 403, "CERT_INVALID");
    }

    @Test
    void certificateOfOneDoctorCannotServeAnotherDoctorsIdentity() throws Exception {
        Credentials c = valid("doctor");
        assertRefusedByKgc(c, "dr-someone-else", 403, "CERT_IDENTITY_MISMATCH");
        DoctorLogin.Outcome login = DoctorLogin.login(c.privateKey(), c.chain());
        assertTrue(login.succeeded(), login.body());
        KgcRegistrationIT.assertProblem(register(login.accessToken(), "dr-someone-else", c), 403,
                "NOT_OWN_IDENTITY");
    }

    private static JsonObject member(String id) {
        HttpResponse<String> r = Http.get("/ledger/members/" + id, Tokens.forUser("auditor"));
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r);
    }

    private static long treeSize() {
        HttpResponse<String> r = Http.get("/ledger/tree-head", null);
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r).getJsonNumber("treeSize").longValue();
    }

    private static HttpResponse<String> recordRevocation(String doctorId, X509Certificate cert) throws Exception {
        String body = Json.createObjectBuilder()
                .add("certificate", Base64.getEncoder().encodeToString(cert.getEncoded())).build().toString();
        return Http.postJson(PATH + "/" + doctorId + "/revocation", Tokens.forUser("hospital-admin"), body);
    }

    @Test
    void registrationAndRevocationOfADoctorAreWrittenToTheLedger() throws Exception {
        Credentials c = valid("dr-ledger");
        HttpResponse<String> reg = register(Tokens.forUser("kgc-operator"), "dr-ledger", c);
        assertEquals(201, reg.statusCode(), reg.body());
        JsonObject m = member("dr-ledger");
        assertTrue(m.getBoolean("registered"), m.toString());
        assertFalse(m.getBoolean("revoked"), m.toString());

        // Not revoked by the authority: nothing to record, and nothing changes.
        long before = treeSize();
        KgcRegistrationIT.assertProblem(recordRevocation("dr-ledger", c.certificate()), 409, "NOT_REVOKED");
        assertEquals(before, treeSize());

        ma().revoke(c.certificate().getSerialNumber(), RevocationReason.KEY_COMPROMISE, Instant.now());
        ItPki.publishCrl();
        HttpResponse<String> rec = recordRevocation("dr-ledger", c.certificate());
        assertEquals(200, rec.statusCode(), rec.body());
        JsonObject receipt = Http.json(rec);
        assertTrue(receipt.getJsonNumber("logIndex").longValue() >= before, receipt.toString());
        assertTrue(treeSize() > before);
        assertTrue(member("dr-ledger").getBoolean("revoked"));

        // Recorded once; another certificate than the registered one is not accepted as evidence.
        KgcRegistrationIT.assertProblem(recordRevocation("dr-ledger", c.certificate()), 409, "LEDGER_ALREADY_EXISTS");
        KgcRegistrationIT.assertProblem(recordRevocation("dr-ledger", valid("dr-ledger").certificate()), 409,
                "NOT_THE_REGISTERED_CERTIFICATE");
        // The revoked doctor cannot log in any more.
        assertRefusedAtLogin(c, "revoked");
    }

    @Test
    void aRevokedDoctorRegistersAgainUnderANewKeyThroughAnOperator() throws Exception {
        String id = "dr-again";
        KeycloakAdmin.createUser(id, "doctor");
        String op = Tokens.forUser("kgc-operator");
        Credentials first = valid(id);
        assertEquals(201, register(op, id, first).statusCode());
        assertEquals("register", member(id).getString("registration"));
        // while registered and not revoked, a second registration is a conflict
        KgcRegistrationIT.assertProblem(register(op, id, valid(id)), 409, "ALREADY_REGISTERED");

        ma().revoke(first.certificate().getSerialNumber(), RevocationReason.KEY_COMPROMISE, Instant.now());
        ItPki.publishCrl();
        assertEquals(200, recordRevocation(id, first.certificate()).statusCode());
        assertTrue(member(id).getBoolean("revoked"));

        // the revoked key does not come back under a new certificate, and the doctor's own (revoked) login cannot ask
        Instant now = Instant.now();
        X509Certificate sameKey = ma().issueDoctor(DoctorCertificateRequest.of(id, first.certificate().getPublicKey(),
                now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1))));
        long before = treeSize();
        KgcRegistrationIT.assertProblem(register(op, id, new Credentials(first.privateKey(), sameKey,
                new X509Certificate[] {sameKey, ma().certificate()})), 409, "REVOKED_KEY");
        Credentials second = valid(id);
        DoctorLogin.Outcome own = DoctorLogin.login(second.privateKey(), second.chain());
        assertTrue(own.succeeded(), own.body());
        KgcRegistrationIT.assertProblem(register(own.accessToken(), id, second), 401, "CREDENTIAL_REVOKED");
        assertEquals(before, treeSize(), "a refused re-registration changed the ledger");

        // under a new key, signed by the doctor and submitted by an operator: registered again, attributable
        HttpResponse<String> again = register(op, id, second);
        assertEquals(201, again.statusCode(), again.body());
        JsonObject m = member(id);
        assertTrue(m.getBoolean("registered"), m.toString());
        assertFalse(m.getBoolean("revoked"), m.toString());
        assertEquals("reregister", m.getString("registration"));
        assertEquals("kgc-operator", m.getString("registeredBy"));
        // the KGC's record names the new certificate, and the doctor's new login works again
        HttpResponse<String> record = Http.get(PATH + "/" + id, Tokens.forUser("auditor"));
        assertEquals(200, record.statusCode(), record.body());
        assertEquals(second.certificate().getSerialNumber().toString(16), Http.json(record).getString("certificateSerial"));
        DoctorLogin.Outcome after = DoctorLogin.login(second.privateKey(), second.chain());
        assertTrue(after.succeeded(), after.body());
        assertEquals(200, Http.get(PATH + "/" + id, after.accessToken()).statusCode());
        // the old key stays refused at the login
        assertRefusedAtLogin(first, "revoked");
    }

    @Test
    void everyLedgerRegistrationNamesWhoAskedForIt() throws Exception {
        // a doctor registering itself, a doctor registered by an operator (with the doctor's proof)
        KeycloakAdmin.createUser("dr-self", "doctor");
        Credentials self = valid("dr-self");
        DoctorLogin.Outcome login = DoctorLogin.login(self.privateKey(), self.chain());
        assertTrue(login.succeeded(), login.body());
        assertEquals(201, register(login.accessToken(), "dr-self", self).statusCode());
        assertEquals("dr-self", member("dr-self").getString("registeredBy"));
        assertEquals(201, register(Tokens.forUser("kgc-operator"), "dr-by-op", valid("dr-by-op")).statusCode());
        assertEquals("kgc-operator", member("dr-by-op").getString("registeredBy"));
        // a patient becomes a member when its device certifies its keys (itself); a hospital by its administrator
        EmrAuthParties.Patient p = EmrAuthParties.patient();
        JsonObject pm = member(p.id());
        assertEquals("register", pm.getString("registration"));
        assertEquals(p.id(), pm.getString("registeredBy"));
        String hpc = EmrAuthParties.hospital();
        assertEquals("hospital-admin", member(hpc).getString("registeredBy"));
    }

    @Test
    void recordingARevocationEndsTheDoctorsSessionsAndRefusesItsTokens() throws Exception {
        KeycloakAdmin.createUser("dr-session", "doctor");
        Credentials c = valid("dr-session");
        DoctorLogin.Outcome login = DoctorLogin.login(c.privateKey(), c.chain());
        assertTrue(login.succeeded(), login.body());
        HttpResponse<String> reg = register(login.accessToken(), "dr-session", c);
        assertEquals(201, reg.statusCode(), reg.body());
        // before the revocation the refresh token works (and rotates: keep the newest)
        HttpResponse<String> refreshed = Tokens.refresh("medledger-doctor-device", login.refreshToken());
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        String refresh = Http.json(refreshed).getString("refresh_token");
        String access = Http.json(refreshed).getString("access_token");

        ma().revoke(c.certificate().getSerialNumber(), RevocationReason.KEY_COMPROMISE, Instant.now());
        ItPki.publishCrl();
        HttpResponse<String> rec = recordRevocation("dr-session", c.certificate());
        assertEquals(200, rec.statusCode(), rec.body());

        HttpResponse<String> after = Tokens.refresh("medledger-doctor-device", refresh);
        assertEquals(400, after.statusCode(), "a session outlived the revocation: " + after.body());
        assertFalse(after.body().contains("access_token"));
        // the access token handed out before the revocation is refused on its next call
        KgcRegistrationIT.assertProblem(register(access, "dr-session", c), 401, "CREDENTIAL_REVOKED");
    }

    @Test
    void registrationWithoutProofOfPossessionIsRefusedWhoeverSubmitsIt() throws Exception {
        Credentials c = valid("dr-pop");
        String op = Tokens.forUser("kgc-operator");
        // the operator holds only the public certificate: no proof, or a proof by its own key
        String noProof = Json.createObjectBuilder().add("doctorId", "dr-pop")
                .add("certificate", Base64.getEncoder().encodeToString(c.certificate().getEncoded())).build().toString();
        KgcRegistrationIT.assertProblem(Http.postJson(PATH, op, noProof), 400, "MISSING_FIELD");
        java.security.PrivateKey operatorKey = MedicalAuthority.generateKeyPair(new SecureRandom()).getPrivate();
        KgcRegistrationIT.assertProblem(Http.postJson(PATH, op, registrationBody("dr-pop", c, operatorKey, Instant.now())),
                403, "NO_PROOF_OF_POSSESSION");
        // a proof for another id, or an old one, does not serve either
        Credentials other = valid("dr-pop-other");
        String forOther = registrationBody("dr-pop-other", other, other.privateKey(), Instant.now());
        KgcRegistrationIT.assertProblem(Http.postJson(PATH, op, forOther.replace("dr-pop-other", "dr-pop")), 403,
                "NO_PROOF_OF_POSSESSION");
        KgcRegistrationIT.assertProblem(Http.postJson(PATH, op, registrationBody("dr-pop", c, c.privateKey(),
                Instant.now().minus(Duration.ofHours(1)))), 400, "STALE_PROOF");
        assertFalse(member("dr-pop").getBoolean("registered"), "a refused registration changed the ledger");
        // with the doctor's signature the operator's submission goes through, and names the operator
        HttpResponse<String> ok = Http.postJson(PATH, op, registrationBody("dr-pop", c, c.privateKey(), Instant.now()));
        assertEquals(201, ok.statusCode(), ok.body());
        assertTrue(member("dr-pop").getBoolean("registered"));
        HttpResponse<String> record = Http.get(PATH + "/dr-pop", Tokens.forUser("auditor"));
        assertEquals(200, record.statusCode(), record.body());
        assertEquals("kgc-operator", Http.json(record).getString("registeredBy"));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void aDuplicateIdIsRefusedBeforeAnyExpensiveCheck() throws Exception {
        Credentials c = valid("dr-duplicate");
        assertEquals(201, register(Tokens.forUser("kgc-operator"), "dr-duplicate", c).statusCode());
        // with the OCSP responder down a full check would answer 503; the duplicate is refused first
        ItPki.stopResponder();
        try {
            Credentials again = valid("dr-duplicate");
            assertRefusedByKgc(again, "dr-duplicate", 409, "ALREADY_REGISTERED");
        } finally {
            ItPki.startResponder();
        }
    }
}
