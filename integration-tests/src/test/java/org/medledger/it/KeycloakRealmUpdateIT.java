package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.client.pki.DoctorCertificateRequest;
import org.medledger.client.pki.MedicalAuthority;

/**
 * The production Keycloak keeps what hospital IT created when the realm file changes: a user made
 * through the admin API after the first start, with a password and a role, survives a restart of
 * Keycloak (start --optimized, its own database) with a changed realm file; the change is applied
 * (settings, a new role, the authentication flows rebuilt) and a doctor's X.509 login still works.
 * No WildFly: only Keycloak and the realm command.
 */
class KeycloakRealmUpdateIT {

    private static final Path REALM = Path.of(ItConfig.require("medledger.it.realm"));
    private static final String PASSWORD = "Ward-nurse-" + Long.toHexString(new SecureRandom().nextLong());

    @BeforeAll
    static void keycloak() {
        KeycloakServer.ensureStarted();
    }

    @AfterAll
    static void restoreTheRepositoryRealm() {
        // the other tests of this run see the repository's realm again (applied live, no restart)
        KeycloakServer.applyRealm(REALM);
    }

    @Test
    void aUserCreatedByHospitalItSurvivesARestartWithAChangedRealmFile() throws Exception {
        assertTrue(KeycloakServer.applyRealm(REALM).contains("realm unchanged"), "an unchanged file must change nothing");
        String id = KeycloakAdmin.createUser("ward-nurse", "auditor");
        KeycloakAdmin.setPassword("ward-nurse", PASSWORD);
        assertEquals(200, Tokens.passwordGrant("medledger-cli", "ward-nurse", PASSWORD, null).statusCode());
        String flowBefore = flowId("medledger doctor x509 direct grant");

        // the realm file changes: a setting, a new role
        JsonObject realm = Json.createReader(new StringReader(Files.readString(REALM))).readObject();
        JsonArray roles = Json.createArrayBuilder(realm.getJsonObject("roles").getJsonArray("realm"))
                .add(Json.createObjectBuilder().add("name", "ward-clerk").add("description", "added by the new realm file"))
                .build();
        JsonObjectBuilder changed = Json.createObjectBuilder(realm).add("displayName", "MedLedger (updated realm)")
                .add("roles", Json.createObjectBuilder(realm.getJsonObject("roles")).add("realm", roles));
        Path changedFile = ItConfig.output().resolve("medledger-realm-changed.json");
        Files.writeString(changedFile, changed.build().toString());

        KeycloakServer.restart(changedFile);

        JsonObject after = KeycloakAdmin.realm();
        assertEquals("MedLedger (updated realm)", after.getString("displayName"), "the changed file was not applied");
        assertEquals(200, KeycloakAdmin.send("GET", "/roles/ward-clerk", null).statusCode(), "the new role is missing");
        assertNotEquals(flowBefore, flowId("medledger doctor x509 direct grant"), "the flows were not rebuilt");
        // the user, its credential and its role survived
        assertEquals(id, KeycloakAdmin.userId("ward-nurse"));
        HttpResponse<String> login = Tokens.passwordGrant("medledger-cli", "ward-nurse", PASSWORD, null);
        assertEquals(200, login.statusCode(), login.body());
        assertTrue(payload(Http.json(login).getString("access_token")).getJsonObject("realm_access")
                .getJsonArray("roles").contains(Json.createValue("auditor")), "the user lost its role");
        // the demo users applied at the first start are users too
        assertEquals(200, Tokens.passwordGrant("medledger-cli", "patient", "patient-demo", null).statusCode());
        // the doctor's certificate login (X.509 over Keycloak's own HTTPS) works on the rebuilt flows ...
        DoctorLogin.Outcome doctor = certificateLogin("doctor");
        assertTrue(doctor.succeeded(), doctor.body());
        // ... and still refuses a certificate naming a non-doctor
        assertTrue(!certificateLogin("ward-nurse").succeeded(), "a certificate logged in as a non-doctor");
        // a doctor's password is still refused (the rebuilt password flow keeps its doctor rule)
        KeycloakAdmin.createUser("ward-doctor", "doctor");
        KeycloakAdmin.setPassword("ward-doctor", PASSWORD);
        assertTrue(Tokens.passwordGrant("medledger-cli", "ward-doctor", PASSWORD, null).statusCode() >= 400);
    }

    private static String flowId(String alias) {
        HttpResponse<String> r = KeycloakAdmin.send("GET", "/authentication/flows", null);
        assertEquals(200, r.statusCode(), r.body());
        return Json.createReader(new StringReader(r.body())).readArray().stream().map(v -> v.asJsonObject())
                .filter(f -> alias.equals(f.getString("alias"))).map(f -> f.getString("id")).findFirst()
                .orElseThrow(() -> new AssertionError("no flow " + alias));
    }

    private static DoctorLogin.Outcome certificateLogin(String id) throws Exception {
        KeyPair keys = MedicalAuthority.generateKeyPair(new SecureRandom());
        Instant now = Instant.now();
        X509Certificate cert = ItPki.authority().issueDoctor(DoctorCertificateRequest.of(id, keys.getPublic(),
                now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1))));
        return DoctorLogin.login(keys.getPrivate(), new X509Certificate[] {cert, ItPki.authority().certificate()});
    }

    private static JsonObject payload(String jwt) {
        return Json.createReader(new StringReader(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]))))
                .readObject();
    }
}
