package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medledger.client.pki.IssuedCredentials;
import org.medledger.client.pki.RevocationReason;

/**
 * One journey per role through the portal in headless Chromium, against the real EAR and
 * Keycloak: what each page shows, that every page passes axe-core without a serious or critical
 * violation, that no role reaches another role's pages or actions (direct URL, forged POST), and
 * that the browser's own proof check fails once the proof or the tree head is altered.
 * Screenshots go to {@code target/screenshots/}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PortalJourneysIT {

    /** The tests' own users: no other test registers them. */
    static final String PATIENT = "pt-portal";
    static final String DOCTOR = "dr-portal";
    static final String REVOKED_DOCTOR = "dr-portal-revoked";

    /** Every role's page and the role that may open it. */
    static final Map<String, String> PAGES = Map.of(
            "patient", "patient/index.xhtml",
            "doctor", "doctor/index.xhtml",
            "hospital-admin", "hospital/index.xhtml",
            "insurer", "insurer/index.xhtml",
            "researcher", "researcher/index.xhtml",
            "auditor", "auditor/index.xhtml",
            "kgc-operator", "kgc/index.xhtml");

    private static PortalBrowser browser;
    private static IssuedCredentials doctor;
    private static IssuedCredentials revokedDoctor;
    private static final char[] PFX_PASSWORD = "portal-doctor".toCharArray();

    @Deployment(name = "medledger", testable = false, order = 1)
    static EnterpriseArchive deployment() {
        return Deployments.medledgerEar();
    }

    /** A test-only web application that alters ledger rows behind the application's back. */
    @Deployment(name = "ledger-tamper", testable = false, order = 2)
    static WebArchive tamper() {
        return ShrinkWrap.create(WebArchive.class, "ledger-tamper.war").addClass(LedgerTamperServlet.class);
    }

    @BeforeAll
    static void servers() throws Exception {
        KeycloakServer.ensureStarted();
        ensureUser(PATIENT, "patient", true);
        ensureUser(DOCTOR, "doctor", false);
        String operator = Tokens.forUser("kgc-operator");
        byte[] bP = new byte[32];
        new SecureRandom().nextBytes(bP);
        HttpResponse<String> p = Http.postJson("/kgc/registrations/patients", operator, Json.createObjectBuilder()
                .add("patientId", PATIENT).add("biometricSecret", Base64.getEncoder().encodeToString(bP)).build().toString());
        assertTrue(p.statusCode() == 201 || p.statusCode() == 409, p.body());
        doctor = ItPki.authority().issueDoctorWithNewKey(DOCTOR, Duration.ofDays(1));
        revokedDoctor = ItPki.authority().issueDoctorWithNewKey(REVOKED_DOCTOR, Duration.ofDays(1));
        for (IssuedCredentials c : List.of(doctor, revokedDoctor)) {
            String id = c == doctor ? DOCTOR : REVOKED_DOCTOR;
            HttpResponse<String> r = Http.postJson("/kgc/registrations/doctors", operator, DoctorCertificateIT
                    .registrationBody(id, DoctorCertificateIT.Credentials.of(c), c.privateKey(), Instant.now()));
            assertTrue(r.statusCode() == 201 || r.statusCode() == 409, r.body());
        }
        browser = PortalBrowser.launch();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    // ---------------------------------------------------------------- patient

    @Test
    @OperateOnDeployment("medledger")
    void patientSeesItsRegistrationAndNothingOfOtherRoles() {
        Page page = browser.loginWithPassword(PATIENT, false);
        assertEquals(List.of("Home", "My records", "Consents"), page.locator("#nav a").allInnerTexts());
        PortalBrowser.assertAccessible(page, "home (patient)");

        page.click("text=My records");
        page.locator("#registration-state").waitFor();
        assertTrue(page.locator("#registration-state").innerText().contains("You are registered"),
                page.locator("#registration-state").innerText());
        page.locator("#access-check[data-result]").waitFor();
        assertEquals("verified", page.locator("#access-check").getAttribute("data-result"));
        PortalBrowser.assertAccessible(page, "patient page");
        PortalBrowser.screenshot(page, "portal-patient-records.png");

        // An entry the server slips into the list that the ledger does not hold is marked as such.
        alter(page, "**/patient/access-proofs*", o -> with(o, "entries", Json.createArrayBuilder(o.getJsonArray("entries"))
                .add(Json.createObjectBuilder().add("logIndex", 0).add("treeSize", o.getJsonNumber("treeSize").longValue())
                        .add("leafData", Base64.getEncoder().encodeToString("not a ledger entry".getBytes(StandardCharsets.UTF_8)))
                        .add("path", Json.createArrayBuilder()))
                .build()));
        page.reload();
        page.locator("#access-check[data-result]").waitFor();
        assertEquals("failed", page.locator("#access-check").getAttribute("data-result"));
        assertTrue(page.locator("#accesses-body").innerText().contains("NOT verified"), page.locator("#accesses-body").innerText());
        page.unrouteAll();

        assertOtherRolesRefused(page, "patient");
    }

    @Test
    @OperateOnDeployment("medledger")
    void patientPagesWorkAtPhoneWidth() {
        Page page = browser.loginWithPassword(PATIENT, true);
        page.navigate(ItConfig.portal() + PAGES.get("patient"));
        page.locator("#registration-state").waitFor();
        PortalBrowser.assertFitsWidth(page);
        PortalBrowser.assertAccessible(page, "patient page at phone width");
        PortalBrowser.screenshot(page, "portal-patient-phone.png");
    }

    // ---------------------------------------------------------------- doctor

    @Test
    @OperateOnDeployment("medledger")
    void doctorSeesItsMembershipVerifiedByTheBrowser() throws Exception {
        Page page = doctorPage();
        assertEquals(List.of("Home", "Doctor", "Records", "Read a record"), page.locator("#nav a").allInnerTexts());
        page.click("text=Doctor");
        assertEquals("active", page.locator("#membership-state").innerText());
        assertEquals(doctor.certificate().getSerialNumber().toString(16), page.locator("#certificate-serial").innerText());
        assertEquals("verified", proofMark(page));
        assertTrue(page.locator("#proof-entry").innerText().contains("member.register"), page.locator("#proof-entry").innerText());
        PortalBrowser.assertAccessible(page, "doctor page");
        PortalBrowser.screenshot(page, "portal-doctor-verified.png");
        assertOtherRolesRefused(page, "doctor");
    }

    @Test
    @OperateOnDeployment("medledger")
    void doctorReadsTheRecordItsDeviceFetchedRenderedForAPerson() throws Exception {
        Page page = doctorPage();
        page.click("#nav >> text=Read a record");
        PortalBrowser.assertAccessible(page, "record reader");
        // the FHIR bundle the device client saved (search-emr --out); a note carrying markup stays text
        Path file = ItConfig.output().resolve("portal-record.json");
        Files.writeString(file, EmrAuthParties.fhirBundle(PATIENT, "Hypertension stage 2 <img src=x onerror=alert(1)>"),
                StandardCharsets.UTF_8);
        page.setInputFiles("#record-file", file);
        page.locator("#record-section[data-shown='4']").waitFor();
        String text = page.locator("#record").innerText();
        for (String expected : List.of("Patient", "Encounter", "Diagnosis", "Hypertension stage 2 <img src=x onerror=alert(1)>",
                "Observation", "Systolic blood pressure", "152 mmHg")) {
            assertTrue(text.contains(expected), expected + " in " + text);
        }
        assertFalse(text.contains("resourceType") || text.contains("{"), "rendered for a person, not as JSON: " + text);
        assertEquals(0, page.locator("#record img").count());
        PortalBrowser.assertAccessible(page, "record reader with a record");
        PortalBrowser.screenshot(page, "portal-doctor-record.png");

        // Not a FHIR file: said beside the field, nothing shown.
        Path bad = ItConfig.output().resolve("portal-not-a-record.json");
        Files.writeString(bad, "{\"hello\": 1}", StandardCharsets.UTF_8);
        page.setInputFiles("#record-file", bad);
        page.locator("#record-file-help").getByText("not a FHIR resource").waitFor();
        assertTrue(page.locator("#record-section").isHidden());
        assertEquals(403, page.context().request().get(ItConfig.portal() + "patient/consents.xhtml").status());
    }

    @Test
    @OperateOnDeployment("medledger")
    void theBrowsersProofCheckFailsWhenTheProofOrTheTreeHeadIsAltered() throws Exception {
        Page page = doctorPage();
        String url = ItConfig.portal() + PAGES.get("doctor");

        // A tree head with another root (the signature no longer covers it).
        alter(page, "**/api/ledger/tree-head", o -> with(o, "rootHash", flipHex(o.getString("rootHash"))));
        page.navigate(url);
        assertEquals("NOT verified", proofMark(page));
        assertTrue(page.locator("#proof-detail").innerText().contains("signature"), page.locator("#proof-detail").innerText());
        PortalBrowser.screenshot(page, "portal-doctor-tree-head-altered.png");
        page.unrouteAll();

        // A tree head claiming another size.
        alter(page, "**/api/ledger/tree-head", o -> with(o, "treeSize", o.getJsonNumber("treeSize").longValue() + 1));
        page.navigate(url);
        assertEquals("NOT verified", proofMark(page));
        page.unrouteAll();

        // An inclusion proof with one hash changed.
        alter(page, "**/doctor/membership-proof*", o -> {
            JsonArrayBuilder path = Json.createArrayBuilder();
            var hashes = o.getJsonArray("path");
            assertFalse(hashes.isEmpty(), "the test ledger has more than one entry");
            for (int i = 0; i < hashes.size(); i++) {
                path.add(i == 0 ? flipHex(hashes.getString(i)) : hashes.getString(i));
            }
            return with(o, "path", path.build());
        });
        page.navigate(url);
        assertEquals("NOT verified", proofMark(page));
        assertTrue(page.locator("#proof-detail").innerText().contains("does not lead to the signed root"),
                page.locator("#proof-detail").innerText());
        page.unrouteAll();

        // The entry itself changed (one byte of the leaf).
        alter(page, "**/doctor/membership-proof*", o -> {
            byte[] leaf = Base64.getDecoder().decode(o.getString("leafData"));
            leaf[leaf.length - 1] ^= 1;
            return with(o, "leafData", Base64.getEncoder().encodeToString(leaf));
        });
        page.navigate(url);
        assertEquals("NOT verified", proofMark(page));
        page.unrouteAll();

        // Untouched again: verified.
        page.navigate(url);
        assertEquals("verified", proofMark(page));
    }

    // ---------------------------------------------------------------- hospital IT

    @Test
    @OperateOnDeployment("medledger")
    void hospitalItRecordsARevocationWithTheAuthoritysEvidence() throws Exception {
        Page page = browser.loginWithPassword("hospital-admin", false);
        assertEquals(List.of("Home", "Hospital IT"), page.locator("#nav a").allInnerTexts());
        page.click("text=Hospital IT");
        assertTrue(Long.parseLong(page.locator("#health-entries").innerText()) >= 2);
        assertTrue(page.locator("#health-sth").innerText().contains("signature valid"), page.locator("#health-sth").innerText());
        assertTrue(page.locator("#doctors").innerText().contains(REVOKED_DOCTOR));
        // consortium members: this server says it is a single node, and shows its own producer key's fingerprint
        assertTrue(page.locator("#consortium-single").innerText().contains("single node"));
        assertEquals(0, page.locator("#consortium-summary").count());
        assertEquals(1, page.locator("#members tbody tr").count());
        assertTrue(page.locator("#members tbody tr").innerText().contains("(this node)"));
        assertTrue(page.locator("#members .fingerprint").innerText().matches("[0-9a-f]{64}"), page.locator("#members").innerText());
        assertTrue(page.locator("#members tbody tr").innerText().contains("no witnesses (single node)"));
        PortalBrowser.assertAccessible(page, "hospital IT page");
        PortalBrowser.screenshot(page, "portal-hospital-consortium-single-node.png");

        // A hospital cloud registered from the page: keys in the hospital key store, a ledger member.
        page.click("[id='cloud:register']");
        page.locator("[id='hospitalId-help']").getByText("Enter the hospital cloud's identifier").waitFor();
        String cloud = EmrAuthParties.unique("portal-hpc");
        page.fill("[id='cloud:hospitalId']", cloud);
        page.click("[id='cloud:register']");
        page.locator("#status").getByText("Hospital cloud " + cloud + " registered").waitFor();
        assertTrue(page.locator("[id='cloud-" + cloud + "']").innerText().contains("active"));
        page.fill("[id='cloud:hospitalId']", cloud);
        page.click("[id='cloud:register']");
        page.locator("[id='hospitalId-help']").getByText("ALREADY_REGISTERED").waitFor();
        PortalBrowser.assertAccessible(page, "hospital IT page with a cloud");
        PortalBrowser.screenshot(page, "portal-hospital-cloud.png");

        // Nothing filled in: each field says what is missing, beside it.
        page.click("[id='revocation:record']");
        page.locator("[id='doctorId-help']").getByText("Enter the doctor's identifier").waitFor();
        page.locator("[id='certificate-help']").getByText("Choose the doctor's revoked certificate").waitFor();
        PortalBrowser.assertAccessible(page, "hospital IT form with errors");
        PortalBrowser.screenshot(page, "portal-hospital-validation.png");

        // The authority has not revoked the certificate: refused, and said so beside the evidence.
        Path pem = pem(revokedDoctor.certificate(), "portal-revoked-doctor.pem");
        page.fill("[id='revocation:doctorId']", REVOKED_DOCTOR);
        page.setInputFiles("[id='revocation:certificate']", pem);
        page.click("[id='revocation:record']");
        page.locator("[id='certificate-help']").getByText("NOT_REVOKED").waitFor();
        PortalBrowser.assertNoStackTrace(page);

        // Revoked by the authority (CRL published): recorded on the ledger.
        ItPki.authority().revoke(revokedDoctor.certificate().getSerialNumber(), RevocationReason.KEY_COMPROMISE, Instant.now());
        ItPki.publishCrl();
        page.fill("[id='revocation:doctorId']", REVOKED_DOCTOR);
        page.setInputFiles("[id='revocation:certificate']", pem);
        page.click("[id='revocation:record']");
        page.locator("#status").getByText("recorded on the ledger").waitFor();
        assertEquals("revoked", page.locator("[id='doctor-" + REVOKED_DOCTOR + "'] td").last().innerText());
        PortalBrowser.screenshot(page, "portal-hospital-revocation.png");

        assertOtherRolesRefused(page, "hospital-admin");
    }

    // ---------------------------------------------------------------- KGC operator

    @Test
    @OperateOnDeployment("medledger")
    void kgcOperatorSeesRegistrationsDirectoryEntriesAndKeyIds() {
        Page page = browser.loginWithPassword("kgc-operator", false);
        assertEquals(List.of("Home", "Key generation center"), page.locator("#nav a").allInnerTexts());
        page.click("text=Key generation center");
        String keyId = Http.json(Http.get("/kgc/public-key", null)).getString("keyId");
        assertEquals(keyId, page.locator("#kgc-key-id").innerText());
        assertTrue(page.locator("#patients").innerText().contains(PATIENT));
        String doctors = page.locator("#doctors").innerText();
        assertTrue(doctors.contains(DOCTOR) && doctors.contains(keyId), doctors);
        assertTrue(page.locator("[id='key-kgc-master']").innerText().contains(keyId), page.locator("#kgc-keys").innerText());
        assertEquals(3, page.locator("#kgc-keys td.key-state").count());
        for (String state : page.locator("#kgc-keys td.key-state").allInnerTexts()) {
            assertTrue(List.of("in service", "rotate now").contains(state), state);
        }
        PortalBrowser.assertAccessible(page, "KGC page");
        PortalBrowser.screenshot(page, "portal-kgc.png");
        assertOtherRolesRefused(page, "kgc-operator");
    }

    // ---------------------------------------------------------------- auditor

    @Test
    @OperateOnDeployment("medledger")
    void auditorChecksTreeHeadsAndVerifiesTheWholeLedgerAndSeesATamperedRow() {
        Page page = browser.loginWithPassword("auditor", false);
        assertEquals(List.of("Home", "Audit"), page.locator("#nav a").allInnerTexts());
        page.click("text=Audit");
        assertTrue(page.locator("#tree-heads tbody tr").count() >= 2);
        assertTrue(page.locator("#tree-heads-summary").innerText().contains("consistent"),
                page.locator("#tree-heads-summary").innerText());
        assertTrue(page.locator("#tree-heads tbody").innerText().contains(": consistent"));
        assertTrue(page.locator("#activity-totals").innerText().contains("member.register"));
        PortalBrowser.assertAccessible(page, "auditor page");

        // The access log for a SIEM: FHIR R4 AuditEvents (IHE BALP), one per ledger entry.
        APIResponse export = page.context().request().get(page.locator("#audit-events").evaluate("a => a.href").toString());
        assertEquals(200, export.status());
        assertTrue(export.headers().get("content-type").startsWith("application/fhir+json"), export.headers().toString());
        JsonObject bundle = Json.createReader(new StringReader(export.text())).readObject();
        assertEquals("Bundle", bundle.getString("resourceType"));
        var events = bundle.getJsonArray("entry");
        assertTrue(events.size() >= 2, "one AuditEvent per ledger entry");
        JsonObject first = events.getJsonObject(0).getJsonObject("resource");
        assertEquals("AuditEvent", first.getString("resourceType"));
        assertTrue(first.getJsonObject("meta").getJsonArray("profile").getString(0)
                .startsWith("https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit"), first.toString());

        assertEquals("PASSED", verifyFromThePage(page));
        assertTrue(page.locator("#verification-result").innerText().startsWith("Passed"));
        PortalBrowser.screenshot(page, "portal-auditor-verified.png");

        // A stored row changed behind the application's back: the run names it.
        tamper(0, 1);
        try {
            assertEquals("FAILED", verifyFromThePage(page));
            String finding = page.locator("#verification-result").innerText();
            assertTrue(finding.matches("(?s)Failed: (TRANSACTION 0|BLOCK 0)\\b.*"), finding);
            PortalBrowser.assertNoStackTrace(page);
            PortalBrowser.screenshot(page, "portal-auditor-tampered.png");
        } finally {
            tamper(0, -1);
        }
        assertEquals("PASSED", verifyFromThePage(page));
        assertOtherRolesRefused(page, "auditor");
    }

    // ---------------------------------------------------------------- insurer

    @Test
    @OperateOnDeployment("medledger")
    void insurerReachesOnlyItsOwnPage() {
        Page page = browser.loginWithPassword("insurer", false);
        assertEquals(List.of("Home", "Claims"), page.locator("#nav a").allInnerTexts());
        page.click("text=Claims");
        page.locator("#claims-state").waitFor();
        PortalBrowser.assertAccessible(page, "insurer page");
        assertOtherRolesRefused(page, "insurer");
    }

    // ---------------------------------------------------------------- sign-out

    @Test
    @OperateOnDeployment("medledger")
    void everyRoleSignsOutOfThePortalAndOfKeycloak() throws Exception {
        Path serverLog = Path.of(ItConfig.require("medledger.it.server.log"));
        long logBefore = Files.size(serverLog);
        for (String user : List.of(PATIENT, "hospital-admin", "insurer", "auditor", "kgc-operator")) {
            Page page = browser.loginWithPassword(user, false);
            signOut(page);
            // the Keycloak session ended too: the portal asks for a password again
            page.locator("#username").waitFor();
            page.navigate(ItConfig.portal());
            page.locator("#username").waitFor();
            assertTrue(page.url().startsWith(ItConfig.keycloakHttps()), page.url());
            page.context().close();
        }
        // A doctor's certificate is its credential: signing out ends both sessions; the next visit
        // signs in again with the certificate the browser presents.
        Page page = doctorPage();
        signOut(page);
        page.locator("strong#signed-in-user").waitFor();
        assertEquals(DOCTOR, page.locator("strong#signed-in-user").innerText());
        // Sign-out is a POST: a link cannot sign a user out.
        assertEquals(405, page.context().request().get(ItConfig.portal() + "signout").status());
        // WildFly's own back-channel logout to Keycloak's HTTPS end-session endpoint trusted Keycloak's
        // certificate (the OIDC client's trust store, configure-oidc.cli): no ELY23010
        // "Failed to invoke remote logout", no certificate path error of any kind
        String logged = logSince(serverLog, logBefore);
        assertFalse(logged.contains("ELY23010"), "the back-channel logout failed:\n" + excerpt(logged, "ELY23010"));
        assertFalse(logged.contains("PKIX") || logged.contains("SSLHandshakeException"),
                "a TLS handshake failed during sign-out:\n" + excerpt(logged, logged.contains("PKIX") ? "PKIX" : "SSLHandshakeException"));
    }

    /** What the server logged after {@code from} bytes of its log. */
    private static String logSince(Path log, long from) throws java.io.IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(from, all.length), all.length - (int) Math.min(from, all.length), StandardCharsets.UTF_8);
    }

    private static String excerpt(String text, String needle) {
        int i = text.indexOf(needle);
        return i < 0 ? "" : text.substring(Math.max(0, i - 200), Math.min(text.length(), i + 400));
    }

    private static void signOut(Page page) {
        // The portal ends the Keycloak session over the back channel and sends the browser through
        // Keycloak's end-session endpoint, which (the session gone) returns it to the portal at once:
        // a doctor's certificate then signs in again without a Keycloak page in between.
        page.waitForRequest(r -> r.url().startsWith(ItConfig.keycloakHttps()) && r.url().contains("/protocol/openid-connect/logout"),
                () -> page.click("#signout-button"));
        page.waitForLoadState();
        // were the session still there, Keycloak would ask to confirm (no ID token hint)
        if (page.url().startsWith(ItConfig.keycloakHttps()) && page.locator("#kc-logout").count() > 0) {
            page.click("#kc-logout");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A user of this test's own (the realm has no such user until now); doctors get no password. */
    private static void ensureUser(String username, String role, boolean password) {
        try {
            KeycloakAdmin.userId(username);
            return;
        } catch (IllegalStateException absent) {
            KeycloakAdmin.createUser(username, role);
        }
        if (password) {
            KeycloakAdmin.setPassword(username, username + "-demo");
        }
    }

    private static Page doctorPage() throws Exception {
        Path pfx = ItConfig.output().resolve("portal-" + DOCTOR + ".p12");
        doctor.writePkcs12(pfx, DOCTOR, PFX_PASSWORD.clone());
        Page page = browser.loginWithCertificate(pfx, PFX_PASSWORD.clone());
        assertEquals(DOCTOR, page.locator("strong#signed-in-user").innerText());
        return page;
    }

    private static String proofMark(Page page) {
        page.locator("#entry-check[data-result]").waitFor();
        return page.locator("#proof-mark").innerText();
    }

    /** Starts the full verification from the page and waits for its end (the progress bar's poll). */
    private static String verifyFromThePage(Page page) {
        // marks the page being left, so only the new page's state can end the wait
        page.evaluate("() => document.getElementById('verification').setAttribute('data-state', 'LEAVING')");
        page.click("[id='verify:start']");
        page.locator("#verification[data-state='PASSED'], #verification[data-state='FAILED']").waitFor();
        assertEquals("100", page.locator("#verification-progress").getAttribute("value"));
        return page.locator("#verification").getAttribute("data-state");
    }

    /**
     * Every other role's page refuses this user, by direct URL and by a forged form post, with
     * the portal's own page and no internals; and the verification's JSON is the auditor's only.
     */
    private static void assertOtherRolesRefused(Page page, String role) {
        for (Map.Entry<String, String> e : PAGES.entrySet()) {
            if (e.getKey().equals(role)) {
                continue;
            }
            String url = ItConfig.portal() + e.getValue();
            Response r = page.navigate(url);
            assertEquals(403, r.status(), role + " opened " + url);
            assertEquals("Not for your role", page.locator("h1").innerText());
            PortalBrowser.assertNoStackTrace(page);
            APIResponse post = page.context().request().post(url, RequestOptions.create()
                    .setForm(FormData.create().set("verify", "verify").set("verify:start", "x")
                            .set("revocation", "revocation").set("revocation:doctorId", DOCTOR)
                            .set("jakarta.faces.ViewState", "stateless"))
                    .setMaxRedirects(0));
            assertEquals(403, post.status(), role + " posted to " + url);
        }
        PortalBrowser.assertAccessible(page, "refusal page");
        if (!role.equals("auditor")) {
            assertEquals(403, page.context().request().get(ItConfig.portal() + "auditor/verification-status").status());
        }
        if (!role.equals("doctor")) {
            assertEquals(403, page.context().request().get(ItConfig.portal() + "doctor/membership-proof?treeSize=1").status());
        }
    }

    /** Rewrites the JSON the page receives from {@code glob}. */
    private static void alter(Page page, String glob, UnaryOperator<JsonObject> change) {
        page.route(glob, (Route route) -> {
            APIResponse original = route.fetch();
            JsonObject o = Json.createReader(new StringReader(original.text())).readObject();
            route.fulfill(new Route.FulfillOptions().setResponse(original).setBody(change.apply(o).toString()));
        });
    }

    private static JsonObject with(JsonObject o, String key, Object value) {
        JsonObjectBuilder b = Json.createObjectBuilder(o);
        if (value instanceof JsonValue v) {
            b.add(key, v);
        } else if (value instanceof Long l) {
            b.add(key, l);
        } else {
            b.add(key, (String) value);
        }
        return b.build();
    }

    private static String flipHex(String hex) {
        char c = hex.charAt(0);
        return (c == '0' ? '1' : '0') + hex.substring(1);
    }

    private static Path pem(X509Certificate cert, String name) throws Exception {
        String body = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        Path file = ItConfig.output().resolve(name);
        Files.writeString(file, body, StandardCharsets.US_ASCII);
        return file;
    }

    private static void tamper(long logIndex, long delta) {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(ItConfig.server()
                        + "/ledger-tamper/row"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("logIndex=" + logIndex + "&delta=" + delta)));
        assertEquals("1", r.body(), "tampering with row " + logIndex);
    }
}
