package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.medledger.client.cli.MedLedgerCli;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.client.interhospital.InterHospitalClient;
import org.medledger.custody.KeyEntry;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.SecretScalar;

/**
 * The INTER-HOSPITAL parts of the portal across a KGC master key rotation, in headless Chromium on a
 * server of the test's own ({@link SecondServer}, so the shared test server keeps its KGC key): the
 * hospital IT page lists the INTER-HOSPITAL hospital served there with the KGC key id its partial key
 * was issued under, current before the rotation and due for renewal after it; another hospital
 * administrator's renewal is refused {@code NOT_HOSPITAL_ADMIN} and a patient cannot open or post to
 * the page, each changing nothing; the administrator who registered it renews it from the page (one
 * ledger entry, the state the REST API reports after it: current under the new key id, the old key
 * superseded by that entry), and that hospital only. The patient's page shows its INTER-HOSPITAL key id, the renewal-due
 * notice with the device's {@code medledger renew --role ih-patient} command, and no notice once the
 * device renewed. No page holds the hospital's or the patient's secret keys.
 */
class PortalInterHospitalIT extends DeployedServer {

    static final CurveProfile CURVE = CurveProfile.p256();

    @Test
    void aHospitalAdministratorRenewsTheInterHospitalKeyFromThePortalAfterAKgcRotation() throws Exception {
        try (SecondServer server = SecondServer.prepare("servers-portal-ih")) {
            server.start();
            String portal = "https://127.0.0.1:" + server.httpsPort() + "/portal/";
            JsonObject portalClient = allowPortal(portal);
            try (PortalBrowser browser = PortalBrowser.launch()) {
                journey(server, portal, browser);
            } finally {
                restore(portalClient);
            }
        }
    }

    private void journey(SecondServer server, String portal, PortalBrowser browser) throws Exception {
        String admin = "hospital-admin";
        InterHospitalClient ih = new InterHospitalClient(server.client(), URI.create(server.api()), CURVE);
        String hospital = EmrAuthParties.unique("pih-h");
        ih.registerHospital(Tokens.forUser(admin), hospital);
        String otherAdmin = EmrAuthParties.unique("pih-admin");
        KeycloakAdmin.createUser(otherAdmin, "hospital-admin");
        KeycloakAdmin.setPassword(otherAdmin, otherAdmin + "-demo");
        // a second hospital, the other administrator's: each row's button renews its own hospital only
        String otherHospital = EmrAuthParties.unique("pih-h");
        ih.registerHospital(Tokens.forUser(otherAdmin), otherHospital);
        JsonObject before = Http.json(server.get("/kgc/public-key", null));
        String keyA = before.getString("keyId");
        MasterPublicKey pkA = MasterPublicKey.decode(CURVE, Base64.getDecoder().decode(before.getString("publicKey")));
        EmrAuthClient api = new EmrAuthClient(server.client(), URI.create(server.api()), CURVE);
        KgcKeyRotationIT.IhPatient patient = KgcKeyRotationIT.IhPatient.register(server, ih, api, pkA);
        Map<String, String> secrets = new LinkedHashMap<>();
        addSecrets(secrets, "S_H before", hospitalKeys(server, hospital));
        addScalar(secrets, "S_PAT before", patient.held().sX());

        // before the rotation: the hospital's key is current, nothing to do; the patient's likewise
        Page adminPage = hospitalPage(browser, portal, admin);
        String row = row(adminPage, hospital);
        assertTrue(row.contains(keyA) && row.contains("current") && row.contains("nothing to do") && row.contains(admin), row);
        assertEquals(0, rowLocator(adminPage, hospital).locator("input[type=submit]").count(), "no renew button for a current key");
        PortalBrowser.assertAccessible(adminPage, "hospital IT page, INTER-HOSPITAL current");
        Page patientPage = browser.loginWithPassword(portal, patient.id(), false);
        patientPage.navigate(portal + "patient/index.xhtml");
        assertEquals(keyA, patientPage.locator("#ih-key-id").innerText());
        assertEquals(1, patientPage.locator("#ih-renewal-current").count());
        assertEquals(0, patientPage.locator("#ih-renewal-due").count());

        // the KGC operator rotates the master key pair
        HttpResponse<String> rotated = post(server, "/kgc/keys/master/rotation", Tokens.forUser("kgc-operator"), "");
        assertEquals(201, rotated.statusCode(), rotated.body());
        String keyB = Http.json(rotated).getString("keyId");

        // another hospital administrator sees the renewal due and is refused the renewal; nothing changes
        Page other = hospitalPage(browser, portal, otherAdmin);
        row = row(other, hospital);
        assertTrue(row.contains(keyA) && row.contains("renewal due"), row);
        long size = server.treeSize();
        String form = rowLocator(other, hospital).locator("form").getAttribute("id");
        rowLocator(other, hospital).locator("input[type=submit]").click();
        other.locator("#status").getByText("NOT_HOSPITAL_ADMIN").waitFor();
        PortalBrowser.assertNoStackTrace(other);
        PortalBrowser.assertAccessible(other, "hospital IT page, renewal refused");
        PortalBrowser.screenshot(other, "portal-ih-renewal-refused.png");
        assertEquals(size, server.treeSize(), "a refused renewal appends nothing");
        assertTrue(row(other, hospital).contains("renewal due"));
        assertTrue(row(other, otherHospital).contains("renewal due"), "the refusal renewed no other hospital");

        // a patient opens no hospital page and posts to none, the renew form's fields included
        Response opened = patientPage.navigate(portal + "hospital/index.xhtml");
        assertEquals(403, opened.status());
        assertEquals("Not for your role", patientPage.locator("h1").innerText());
        PortalBrowser.assertNoStackTrace(patientPage);
        APIResponse forged = patientPage.context().request().post(portal + "hospital/index.xhtml", RequestOptions.create()
                .setForm(FormData.create().set("ih-hospital", hospital).set(form, form).set(form + ":renew", "Renew partial key")
                        .set("jakarta.faces.ViewState", "stateless"))
                .setMaxRedirects(0));
        assertEquals(403, forged.status());
        assertEquals(size, server.treeSize(), "a refused post appends nothing");
        JsonObject unchanged = ih.hospitalPartialKey(Tokens.forUser("auditor"), hospital);
        assertEquals(keyA, unchanged.getString("kgcKeyId"));
        assertEquals("renewal due", unchanged.getJsonArray("keys").getJsonObject(0).getString("state"));

        // the patient's page: renewal due, with the command its device runs
        patientPage.navigate(portal + "patient/index.xhtml");
        assertEquals(keyA, patientPage.locator("#ih-key-id").innerText());
        assertEquals("medledger renew --role ih-patient --user " + patient.id(), patientPage.locator("#ih-renew-command").innerText());
        assertEquals(0, patientPage.locator("#ih-renewal-current").count());
        PortalBrowser.assertAccessible(patientPage, "patient page, INTER-HOSPITAL renewal due");
        PortalBrowser.screenshot(patientPage, "portal-ih-patient-renewal-due.png");

        // the administrator who registered it renews it: one ledger entry, the key current under the new key id
        adminPage.navigate(portal + "hospital/index.xhtml");
        assertTrue(row(adminPage, hospital).contains("renewal due"));
        rowLocator(adminPage, hospital).locator("input[type=submit]").click();
        adminPage.locator("#status").getByText("renewed").waitFor();
        String done = adminPage.locator("#status").innerText();
        assertTrue(done.contains("Hospital " + hospital + " renewed") && done.contains("under KGC key id " + keyB + " (was " + keyA + ")")
                && done.contains("ledger entry " + size), done);
        assertEquals(size + 1, server.treeSize(), "the renewal is one ledger entry");
        row = row(adminPage, hospital);
        assertTrue(row.contains(keyB) && row.contains("current") && row.contains("nothing to do"), row);
        assertTrue(row.contains(keyA + ", replaced") && row.contains("by " + admin) && row.contains("(ledger entry " + size + ")"), row);
        PortalBrowser.assertAccessible(adminPage, "hospital IT page, renewed");
        PortalBrowser.screenshot(adminPage, "portal-ih-renewed.png");
        assertTrue(row(adminPage, otherHospital).contains("renewal due"), "the other hospital's key is its administrator's to renew");
        Page phone = browser.loginWithPassword(portal, admin, true);
        phone.navigate(portal + "hospital/index.xhtml");
        phone.locator("#ih-hospitals").waitFor();
        PortalBrowser.assertFitsWidth(phone);
        // the same state the REST API (and so the CLI) reports
        JsonObject now = ih.hospitalPartialKey(Tokens.forUser("auditor"), hospital);
        assertEquals(keyB, now.getString("kgcKeyId"));
        JsonArray keys = now.getJsonArray("keys");
        assertEquals("current", keys.getJsonObject(0).getString("state"));
        assertEquals(keyA, keys.getJsonObject(1).getString("kgcKeyId"));
        assertEquals("superseded", keys.getJsonObject(1).getString("state"));
        assertEquals(size, keys.getJsonObject(1).getJsonNumber("logIndex").longValue());
        addSecrets(secrets, "S_H after", hospitalKeys(server, hospital));

        // the patient's device renews; its page then shows the current key and no notice
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("MEDLEDGER_PASSWORD", patient.id() + "-demo", "MEDLEDGER_DEVICE_PASSWORD",
                KgcKeyRotationIT.IhPatient.STORE_PASSWORD);
        assertEquals(0, MedLedgerCli.execute(new String[] {"renew", "--role", "ih-patient", "--user", patient.id(), "--store",
                patient.store().toString(), "--api", server.api(), "--keycloak", ItConfig.keycloak()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env::get),
                err.toString(StandardCharsets.UTF_8));
        addScalar(secrets, "S_PAT after", patient.held().sX());
        patientPage.navigate(portal + "patient/index.xhtml");
        assertEquals(keyB, patientPage.locator("#ih-key-id").innerText());
        assertEquals(1, patientPage.locator("#ih-renewal-current").count());
        assertEquals(0, patientPage.locator("#ih-renewal-due").count());

        // no page shows a secret key, before or after the renewal
        assertNoSecret(adminPage.content(), secrets, "hospital IT page");
        assertNoSecret(other.content(), secrets, "hospital IT page (refused)");
        assertNoSecret(patientPage.content(), secrets, "patient page");
    }

    // ---------------------------------------------------------------- pages

    private static Page hospitalPage(PortalBrowser browser, String portal, String user) {
        Page page = browser.loginWithPassword(portal, user, false);
        page.navigate(portal + "hospital/index.xhtml");
        page.locator("#ih-hospitals").waitFor();
        return page;
    }

    private static com.microsoft.playwright.Locator rowLocator(Page page, String hospital) {
        return page.locator("[id='ih-hospital-" + hospital + "']");
    }

    private static String row(Page page, String hospital) {
        return rowLocator(page, hospital).innerText();
    }

    // ---------------------------------------------------------------- secrets

    /** The INTER-HOSPITAL hospital's keys as the second server's hospital key store holds them. */
    private static KeyEntry hospitalKeys(SecondServer server, String hospital) throws Exception {
        Path dir = server.home().resolve("standalone/configuration");
        char[] pw = ServerCredentialStore.passwords(dir).get("hospital-keystore");
        KeyStore ks = ServerCredentialStore.open(dir, "medledger-hospital.p12", pw);
        KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) ks.getEntry("ih:" + hospital.toLowerCase(Locale.ROOT),
                new KeyStore.PasswordProtection(pw));
        return KeyEntry.decode(KeyEntry.INTER_HOSPITAL, CURVE, e.getSecretKey().getEncoded());
    }

    private static void addSecrets(Map<String, String> secrets, String name, KeyEntry keys) {
        addScalar(secrets, name, keys.partialS);
        addScalar(secrets, name + " ledger key", keys.ledgerKey);
    }

    private static void addScalar(Map<String, String> secrets, String name, SecretScalar s) {
        byte[] d = s.encoded();
        secrets.put(name + " hex", HexFormat.of().formatHex(d));
        secrets.put(name + " base64", Base64.getEncoder().encodeToString(d));
        secrets.put(name + " base64url", Base64.getUrlEncoder().withoutPadding().encodeToString(d));
        secrets.put(name + " decimal", s.reveal().toString());
    }

    private static void assertNoSecret(String html, Map<String, String> secrets, String what) {
        List<String> found = new ArrayList<>();
        secrets.forEach((name, value) -> {
            if (html.contains(value) || html.toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT))) {
                found.add(name);
            }
        });
        assertEquals(List.of(), found, what + " shows a secret");
    }

    // ---------------------------------------------------------------- Keycloak: the second server's portal as a redirect target

    /**
     * Lets the portal client redirect to (and sign out to) the second server's portal as well; returns
     * the client as it was, for {@link #restore}.
     */
    private static JsonObject allowPortal(String portal) {
        JsonObject client = portalClient();
        JsonObjectBuilder b = Json.createObjectBuilder(client);
        b.add("redirectUris", Json.createArrayBuilder(client.getJsonArray("redirectUris")).add(portal + "*"));
        JsonObject attributes = client.getJsonObject("attributes");
        String logout = attributes.getString("post.logout.redirect.uris", "");
        b.add("attributes", Json.createObjectBuilder(attributes).add("post.logout.redirect.uris",
                (logout.isEmpty() ? "" : logout + "##") + portal + "*"));
        update(client.getString("id"), b.build());
        return client;
    }

    private static void restore(JsonObject client) {
        update(client.getString("id"), client);
    }

    private static JsonObject portalClient() {
        HttpResponse<String> r = KeycloakAdmin.send("GET", "/clients?clientId=medledger-portal", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonArray a = Json.createReader(new StringReader(r.body())).readArray();
        assertEquals(1, a.size(), r.body());
        return a.getJsonObject(0);
    }

    private static void update(String id, JsonObject client) {
        HttpResponse<String> r = KeycloakAdmin.send("PUT", "/clients/" + id, client.toString());
        assertEquals(204, r.statusCode(), r.body());
    }

    // ---------------------------------------------------------------- API

    private static HttpResponse<String> post(SecondServer server, String path, String token, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.api() + path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)));
    }
}
