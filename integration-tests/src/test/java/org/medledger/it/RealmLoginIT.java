package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.medledger.client.pki.DoctorCertificateRequest;
import org.medledger.client.pki.MedicalAuthority;

/**
 * The realm's login rules against the real Keycloak: certificate logins only onto doctors,
 * password grants refused for doctors on every client (Keycloak's own {@code admin-cli}
 * included), rotating refresh tokens, no offline tokens by default, explicit policies, and a
 * production realm template without users or passwords.
 */
class RealmLoginIT extends DeployedServer {

    /** Satisfies the realm's password policy, so only the doctor rule can refuse it. */
    static final String GOOD_PASSWORD = "Strong-enough-" + Long.toHexString(new SecureRandom().nextLong());

    private static DoctorLogin.Outcome certificateLogin(String id) throws Exception {
        KeyPair keys = MedicalAuthority.generateKeyPair(new SecureRandom());
        Instant now = Instant.now();
        // An authority that certified a wrong id by mistake: Keycloak must still refuse it.
        X509Certificate cert = ItPki.authority().issueDoctor(DoctorCertificateRequest.of(id, keys.getPublic(),
                now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1))));
        return DoctorLogin.login(keys.getPrivate(), new X509Certificate[] {cert, ItPki.authority().certificate()});
    }

    private static JsonObject payload(String jwt) {
        return Json.createReader(new StringReader(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]))))
                .readObject();
    }

    @Test
    void aCertificateNamingANonDoctorIsRefusedAtTheLogin() throws Exception {
        DoctorLogin.Outcome operator = certificateLogin("kgc-operator");
        assertFalse(operator.succeeded(), "a certificate must not log in as the KGC operator: " + operator.body());
        assertFalse(certificateLogin("hospital-admin").succeeded());
        assertFalse(certificateLogin("patient").succeeded());
        // the same path with a doctor's id works: the refusal is the role rule, not the plumbing
        DoctorLogin.Outcome doctor = certificateLogin("doctor");
        assertTrue(doctor.succeeded(), doctor.body());
        assertEquals("doctor", payload(doctor.accessToken()).getString("preferred_username"));
    }

    @Test
    void aDoctorsPasswordIsRefusedOnEveryClientIncludingAdminCli() {
        KeycloakAdmin.createUser("dr-with-password", "doctor");
        KeycloakAdmin.createUser("nurse-with-password", "patient");
        // hospital IT gave both a password by mistake
        KeycloakAdmin.setPassword("dr-with-password", GOOD_PASSWORD);
        KeycloakAdmin.setPassword("nurse-with-password", GOOD_PASSWORD);
        for (String client : new String[] {"admin-cli", "medledger-cli", "medledger-doctor-device"}) {
            HttpResponse<String> r = Tokens.passwordGrant(client, "dr-with-password", GOOD_PASSWORD, null);
            assertTrue(r.statusCode() >= 400, client + " issued a token to a doctor's password: " + r.body());
            assertFalse(r.body().contains("access_token"), r.body());
        }
        // the same password works for a non-doctor on admin-cli: the refusal is the doctor rule
        HttpResponse<String> nurse = Tokens.passwordGrant("admin-cli", "nurse-with-password", GOOD_PASSWORD, null);
        assertEquals(200, nurse.statusCode(), nurse.body());
    }

    @Test
    void refreshTokensRotateAndAreUsedOnce() {
        HttpResponse<String> login = Tokens.passwordGrant("medledger-cli", "patient", "patient-demo", null);
        assertEquals(200, login.statusCode(), login.body());
        String first = Http.json(login).getString("refresh_token");
        HttpResponse<String> refreshed = Tokens.refresh("medledger-cli", first);
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        assertNotEquals(first, Http.json(refreshed).getString("refresh_token"));
        HttpResponse<String> reused = Tokens.refresh("medledger-cli", first);
        assertEquals(400, reused.statusCode(), "a used refresh token must be refused: " + reused.body());
    }

    @Test
    void offlineTokensAreNotGrantedByDefault() {
        HttpResponse<String> r = Tokens.passwordGrant("medledger-cli", "patient", "patient-demo",
                "scope=openid%20offline_access");
        if (r.statusCode() == 200) {
            String refresh = Http.json(r).getString("refresh_token");
            assertNotEquals("Offline", payload(refresh).getString("typ"), "an offline token was issued");
            JsonObject access = payload(Http.json(r).getString("access_token"));
            assertFalse(access.getJsonObject("realm_access").getJsonArray("roles").contains(
                    Json.createValue("offline_access")), access.toString());
        } else {
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, r.body());
        }
    }

    @Test
    void realmPoliciesAreExplicit() {
        JsonObject realm = KeycloakAdmin.realm();
        assertTrue(realm.getString("passwordPolicy", "").contains("length(12)"), realm.getString("passwordPolicy", ""));
        assertTrue(realm.getBoolean("bruteForceProtected"));
        assertEquals(5, realm.getInt("failureFactor"));
        assertFalse(realm.getBoolean("permanentLockout"));
        assertTrue(realm.getBoolean("revokeRefreshToken"));
        assertEquals(0, realm.getInt("refreshTokenMaxReuse"));
        assertTrue(realm.getBoolean("eventsEnabled"));
        assertTrue(realm.getBoolean("adminEventsEnabled"));
        // the policy is enforced: a short password is refused
        KeycloakAdmin.createUser("short-password", "patient");
        HttpResponse<String> r = KeycloakAdmin.send("PUT", "/users/" + KeycloakAdmin.userId("short-password")
                + "/reset-password", "{\"type\":\"password\",\"value\":\"short-1\",\"temporary\":false}");
        assertEquals(400, r.statusCode(), r.body());
    }

    @Test
    void theProductionRealmTemplateHasNoUsersAndNoPasswords() throws Exception {
        Path file = Path.of(ItConfig.require("medledger.it.realm"));
        String text = Files.readString(file);
        JsonObject realm = Json.createReader(new StringReader(text)).readObject();
        for (JsonValue u : realm.getJsonArray("users")) {
            JsonObject user = u.asJsonObject();
            assertTrue(user.containsKey("serviceAccountClientId"), "a person in the production realm: " + user);
            assertFalse(user.containsKey("credentials"), user.toString());
        }
        assertFalse(text.contains("\"credentials\""), "no credentials in the production realm");
        for (JsonValue c : realm.getJsonArray("clients")) {
            String secret = c.asJsonObject().getString("secret", null);
            assertTrue(secret == null || secret.matches("\\$\\{[A-Z_]+}"), "a literal client secret: " + secret);
        }
        // the demo users, with their well-known passwords, live in the overlay only
        assertTrue(Files.readString(Path.of(ItConfig.require("medledger.it.realm.demo"))).contains("patient-demo"));
    }

    @Test
    void keycloaksTlsCertificateIsNotIssuedByTheDoctorsAuthority() throws Exception {
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("tls", ItPki.tlsAuthority().certificate());
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        ctx.init(null, tmf.getTrustManagers(), null);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1",
                ItConfig.keycloakHttpsPort())) {
            socket.startHandshake();
            X509Certificate server = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            X509Certificate doctors = ItPki.authority().certificate();
            assertNotEquals(doctors.getSubjectX500Principal(), server.getIssuerX500Principal());
            org.junit.jupiter.api.Assertions.assertThrows(java.security.GeneralSecurityException.class,
                    () -> server.verify(doctors.getPublicKey()));
        }
    }
}
