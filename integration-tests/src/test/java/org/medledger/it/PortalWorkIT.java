package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medledger.client.abe.AbeChainClient;
import org.medledger.client.emrauth.ConsentTransactions;
import org.medledger.client.pki.IssuedCredentials;
import org.medledger.protocol.abe.AuthorizationLetter;
import org.medledger.protocol.abe.PublicParameters;
import org.medledger.protocol.emrauth.ConsultationResponse;
import org.medledger.protocol.emrauth.DiagnosisDelivery;
import org.medledger.protocol.emrauth.PatientConsultation;
import org.medledger.protocol.emrauth.SignalDelivery;

/**
 * The portal's work pages in headless Chromium against the real EAR and Keycloak: a doctor's
 * consultations and records with its keys in portal custody (creating them, reading a record
 * rendered for a person, writing diagnoses as new EMR versions, answering a consultation the
 * patient's device started, each use on the ledger and seen by the patient), an
 * insurer's claims and a researcher's records (ABE-CHAIN: released after the access entry,
 * decrypted with the consumer's attributes, refused when they do not satisfy the letter). Each
 * page passes axe-core, fits a phone's width and refuses every other role by URL and forged post.
 * Screenshots go to {@code target/screenshots/}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PortalWorkIT {

    static final String DEPT = "cardiology";

    /** Every role's work page checked here and the role that may open it. */
    static final Map<String, String> PAGES = Map.of(
            "doctor", "doctor/records.xhtml",
            "insurer", "insurer/index.xhtml",
            "researcher", "researcher/index.xhtml",
            "patient", "patient/consents.xhtml",
            "auditor", "auditor/index.xhtml");

    private static PortalBrowser browser;
    private static final char[] PFX_PASSWORD = "portal-work".toCharArray();
    private static String hospital;
    private static String claimsRecord;
    private static String oncologyRecord;
    private static String insurer;
    private static String researcher;

    @Deployment(name = "medledger", testable = false)
    static EnterpriseArchive deployment() {
        return Deployments.medledgerEar();
    }

    @BeforeAll
    static void servers() throws Exception {
        KeycloakServer.ensureStarted();
        hospital = EmrAuthParties.hospital();
        // Two endorsed ABE-CHAIN records of one patient: one for insurers' claims, one for oncology research.
        PublicParameters pp = AbeChainParties.pp();
        AbeChainParties.AbePatient p = AbeChainParties.patient(pp);
        claimsRecord = endorse(p, "claim-portal", "insurer AND claims", "Community-acquired pneumonia, admitted 3 days");
        oncologyRecord = endorse(p, "study-portal", "researcher AND oncology", "Stage II breast carcinoma, in remission");
        insurer = consumer("insurer", "abe-claims");
        researcher = consumer("researcher", "abe-oncology");
        browser = PortalBrowser.launch();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    // ---------------------------------------------------------------- doctor, keys in portal custody

    @Test
    @OperateOnDeployment("medledger")
    void doctorCreatesPortalKeysReadsARecordAndWritesDiagnoses() throws Exception {
        EmrAuthParties.Patient patient = EmrAuthParties.patient();
        EmrAuthParties.Patient noConsent = EmrAuthParties.patient();
        String doctorId = EmrAuthParties.unique("dr-custody");
        KeycloakAdmin.createUser(doctorId, "doctor");
        IssuedCredentials cred = ItPki.authority().issueDoctorWithNewKey(doctorId, Duration.ofDays(1));

        Path pfx = ItConfig.output().resolve("portal-" + doctorId + ".p12");
        cred.writePkcs12(pfx, doctorId, PFX_PASSWORD.clone());
        Page page = browser.loginWithCertificate(pfx, PFX_PASSWORD.clone());
        assertEquals(doctorId, page.locator("strong#signed-in-user").innerText());
        assertEquals(List.of("Home", "Doctor", "Records", "Read a record"), page.locator("#nav a").allInnerTexts());
        page.click("#nav >> text=Records");
        assertTrue(page.locator("#custody-state").innerText().contains("create your EMR-AUTH keys"),
                page.locator("#custody-state").innerText());
        PortalBrowser.assertAccessible(page, "doctor records, no keys yet");

        // Nothing chosen: each field says what is missing.
        page.click("[id='keys:create']");
        page.locator("#keys-certificate-help").getByText("Choose your medical-authority certificate").waitFor();
        page.locator("#keys-hospital-help").getByText("Choose the hospital").waitFor();
        PortalBrowser.assertAccessible(page, "doctor key form with errors");

        // Another doctor's certificate is refused (its CN is not the caller).
        IssuedCredentials other = ItPki.authority().issueDoctorWithNewKey(EmrAuthParties.unique("dr-other"), Duration.ofDays(1));
        page.setInputFiles("[id='keys:certificate']", pem(other, "portal-other-doctor.pem"));
        page.selectOption("[id='keys:hospital']", hospital);
        page.click("[id='keys:create']");
        page.locator("#keys-certificate-help").getByText("CERT_IDENTITY_MISMATCH").waitFor();
        PortalBrowser.assertNoStackTrace(page);

        page.setInputFiles("[id='keys:certificate']", pem(cred, "portal-custody-doctor.pem"));
        page.selectOption("[id='keys:hospital']", hospital);
        page.click("[id='keys:create']");
        page.locator("#status").getByText("Your EMR-AUTH keys were created in the key store of " + hospital).waitFor();
        assertEquals(hospital, page.locator("#custody-hospital").innerText());
        PortalBrowser.screenshot(page, "portal-doctor-custody-keys.png");
        // Now a ledger member, the doctor can be granted the patient's consent (on the patient's device).
        EmrAuthParties.API.submitConsent(Tokens.forUser(patient.id()), ConsentTransactions.grant(patient.ledgerKey(), patient.id(), doctorId,
                DEPT, Instant.now().plus(Duration.ofDays(1)).toEpochMilli()));

        // No record yet: the search says so, beside the patient field.
        fill(page, "find", patient.id(), DEPT);
        page.click("[id='find:read']");
        page.locator("#find-patient-help").getByText("UNKNOWN_PARTY").waitFor();

        // A consultation the patient starts on its device, answered from the portal; its diagnosis is the
        // first EMR version.
        String patientToken = Tokens.forUser(patient.id());
        PatientConsultation consultation = patient.device().startConsultation(doctorId);
        EmrAuthParties.API.relaySend(patientToken, doctorId, "consultation-request", consultation.request().encode());
        page.click("[id='answer:answer']");
        page.locator("#answer-patient-help").getByText("Enter the patient's identifier").waitFor();
        page.fill("[id='answer:patient']", patient.id());
        page.click("[id='answer:answer']");
        page.locator("#status").getByText("Consultation with " + patient.id() + " answered").waitFor();
        page.click("[id='signal:check']");
        page.locator("#status").getByText("No message from " + patient.id() + " yet").waitFor();
        // The device authenticates the doctor (Cert_D, Sig_D1, SEK1) and sends its message under SEK1.
        byte[] response = EmrAuthParties.API.relayTake(patientToken, doctorId, "consultation-response").orElseThrow();
        SignalDelivery signal = consultation.acceptResponse(ConsultationResponse.decode(EmrAuthParties.CURVE, response),
                "Chest pain on exertion <i>3 weeks</i>".getBytes(StandardCharsets.UTF_8));
        EmrAuthParties.API.relaySend(patientToken, doctorId, "signal", signal.encode());
        page.click("[id='signal:check']");
        page.locator("#consultation-signal").getByText("Chest pain on exertion <i>3 weeks</i>").waitFor();
        PortalBrowser.assertAccessible(page, "consultation with the patient's message");
        PortalBrowser.screenshot(page, "portal-doctor-consultation.png");
        page.fill("[id='reply:department']", DEPT);
        page.fill("[id='reply:diagnosis']", "Stable angina");
        page.click("[id='reply:send']");
        page.locator("#status").getByText("Diagnosis sent to " + patient.id()).waitFor();
        assertEquals(0, page.locator("[id='reply:send']").count());
        byte[] dx = EmrAuthParties.API.relayTake(patientToken, doctorId, "diagnosis").orElseThrow();
        assertEquals("Stable angina", new String(consultation.readDiagnosis(DiagnosisDelivery.decode(EmrAuthParties.CURVE, dx)),
                StandardCharsets.UTF_8));

        // Two more diagnoses are added to it.
        page.click("[id='diagnose:write']");
        page.locator("#diagnose-diagnosis-help").getByText("Enter the diagnosis").waitFor();
        fill(page, "diagnose", patient.id(), DEPT);
        page.fill("[id='diagnose:diagnosis']", "Essential hypertension <b>stage 1</b>");
        page.click("[id='diagnose:write']");
        page.locator("#status").getByText("Diagnosis written as a new EMR version").waitFor();
        fill(page, "diagnose", patient.id(), DEPT);
        page.fill("[id='diagnose:diagnosis']", "Left ventricular hypertrophy");
        page.click("[id='diagnose:write']");
        page.locator("#status").getByText("Diagnosis written as a new EMR version").waitFor();
        assertTrue(page.locator("#status").innerText().contains("4 resources"), page.locator("#status").innerText());

        fill(page, "find", patient.id(), DEPT);
        page.click("[id='find:read']");
        page.locator("#record-section[data-shown='4']").waitFor();
        String text = page.locator("#record").innerText();
        for (String expected : List.of("Patient", patient.id(), "Stable angina", "Essential hypertension <b>stage 1</b>",
                "Left ventricular hypertrophy", doctorId)) {
            assertTrue(text.contains(expected), expected + " in " + text);
        }
        assertFalse(text.contains("resourceType") || text.contains("{"), "rendered for a person, not as JSON: " + text);
        assertEquals(0, page.locator("#record b").count(), "record text is never markup");
        assertTrue(page.locator("#record-source").innerText().contains("Held by " + hospital));
        PortalBrowser.assertAccessible(page, "doctor record read");
        PortalBrowser.screenshot(page, "portal-doctor-custody-record.png");

        // Without the patient's consent nothing is released and nothing written.
        fill(page, "diagnose", noConsent.id(), DEPT);
        page.fill("[id='diagnose:diagnosis']", "Should not be stored");
        page.click("[id='diagnose:write']");
        page.locator("#diagnose-diagnosis-help").getByText("NOT_AUTHORIZED").waitFor();
        PortalBrowser.assertNoStackTrace(page);

        // Every use of the custody key is an access entry the patient sees, verified by its browser.
        Page patientPage = browser.loginWithPassword(patient.id(), false);
        patientPage.click("text=My records");
        patientPage.locator("#access-check[data-result]").waitFor();
        assertEquals("verified", patientPage.locator("#access-check").getAttribute("data-result"));
        String accesses = patientPage.locator("#accesses-body").innerText();
        for (String use : List.of("KEY_USE_READ", "KEY_USE_WRITE", "KEY_USE_CONSULT", "KEY_USE_DIAGNOSE")) {
            assertTrue(accesses.contains(doctorId) && accesses.contains(use), use + " in " + accesses);
        }
        PortalBrowser.screenshot(patientPage, "portal-patient-sees-custody-uses.png");
        patientPage.context().close();

        assertOtherRolesRefused(page, "doctor");

        // At phone width.
        Page phone = browser.loginWithCertificate(pfx, PFX_PASSWORD.clone());
        phone.setViewportSize(PortalBrowser.PHONE_WIDTH, PortalBrowser.PHONE_HEIGHT);
        phone.navigate(ItConfig.portal() + PAGES.get("doctor"));
        fill(phone, "find", patient.id(), DEPT);
        phone.click("[id='find:read']");
        phone.locator("#record-section[data-shown='4']").waitFor();
        assertTrue(phone.locator("#record").innerText().contains("Stable angina"));
        PortalBrowser.assertFitsWidth(phone);
        PortalBrowser.assertAccessible(phone, "doctor records at phone width");
        PortalBrowser.screenshot(phone, "portal-doctor-custody-phone.png");
    }

    // ---------------------------------------------------------------- insurer, researcher (ABE-CHAIN)

    @Test
    @OperateOnDeployment("medledger")
    void insurerOpensTheClaimItsAttributesSatisfyAndIsRefusedTheOther() {
        Page page = browser.loginWithPassword(insurer, false);
        assertEquals(List.of("Home", "Claims"), page.locator("#nav a").allInnerTexts());
        page.click("#nav >> text=Claims");
        assertEquals("claims, insurer", page.locator("#attributes").innerText());
        assertEquals("yes", row(page, claimsRecord).locator("td.usable").innerText());
        assertEquals("no", row(page, oncologyRecord).locator("td.usable").innerText());
        PortalBrowser.assertAccessible(page, "claims page");

        row(page, claimsRecord).locator("input[type=submit]").click();
        page.locator("#record-section[data-shown]").waitFor();
        assertTrue(page.locator("#record").innerText().contains("Community-acquired pneumonia, admitted 3 days"),
                page.locator("#record").innerText());
        assertTrue(page.locator("#status").innerText().contains("decrypted with your attribute key"));
        PortalBrowser.assertAccessible(page, "claims page with a decrypted record");
        PortalBrowser.screenshot(page, "portal-insurer-claim.png");

        // A letter whose policy the insurer's attributes do not satisfy: refused, and on the ledger.
        row(page, oncologyRecord).locator("input[type=submit]").click();
        page.locator("#status").getByText("POLICY_NOT_SATISFIED").waitFor();
        assertTrue(page.locator("#status").innerText().contains("ledger entry"));
        assertEquals(0, page.locator("#record-section").count());
        PortalBrowser.assertNoStackTrace(page);
        PortalBrowser.screenshot(page, "portal-insurer-refused.png");
        assertOtherRolesRefused(page, "insurer");

        Page phone = browser.loginWithPassword(insurer, true);
        phone.navigate(ItConfig.portal() + PAGES.get("insurer"));
        row(phone, claimsRecord).waitFor();
        PortalBrowser.assertFitsWidth(phone);
        PortalBrowser.assertAccessible(phone, "claims page at phone width");
        PortalBrowser.screenshot(phone, "portal-insurer-phone.png");
    }

    @Test
    @OperateOnDeployment("medledger")
    void researcherOpensOnlyTheRecordsItsAttributesSatisfy() {
        Page page = browser.loginWithPassword(researcher, true);
        assertEquals(List.of("Home", "Research records"), page.locator("#nav a").allInnerTexts());
        page.click("#nav >> text=Research records");
        assertEquals("oncology, researcher", page.locator("#attributes").innerText());
        row(page, oncologyRecord).locator("input[type=submit]").click();
        page.locator("#record-section[data-shown]").waitFor();
        assertTrue(page.locator("#record").innerText().contains("Stage II breast carcinoma, in remission"));
        PortalBrowser.assertFitsWidth(page);
        PortalBrowser.assertAccessible(page, "research records at phone width");
        PortalBrowser.screenshot(page, "portal-researcher-phone.png");
        row(page, claimsRecord).locator("input[type=submit]").click();
        page.locator("#status").getByText("POLICY_NOT_SATISFIED").waitFor();
        assertOtherRolesRefused(page, "researcher");
    }

    // ---------------------------------------------------------------- helpers

    private static String endorse(AbeChainParties.AbePatient p, String recordId, String policy, String note) throws Exception {
        AuthorizationLetter letter = p.authorize(EmrAuthParties.unique(recordId), hospital, policy);
        AbeChainParties.API.submitLetter(p.token(), letter.toBytes(), p.transaction(letter));
        AbeChainClient.Stored stored = AbeChainParties.API.storeRecord(Tokens.forUser("hospital-admin"), hospital, letter.id(),
                EmrAuthParties.fhirBundle(p.id(), note).getBytes(StandardCharsets.UTF_8));
        return stored.descriptorId();
    }

    /** A data consumer of this test's own with {@code role} and one attribute role, password {@code <id>-demo}. */
    private static String consumer(String role, String attributeRole) {
        String id = EmrAuthParties.unique("portal-" + role);
        KeycloakAdmin.createUser(id, role);
        AbeChainParties.addRealmRole(id, attributeRole);
        KeycloakAdmin.setPassword(id, id + "-demo");
        return id;
    }

    private static Locator row(Page page, String descriptorId) {
        return page.locator("[id='claim-" + descriptorId + "']");
    }

    private static void fill(Page page, String form, String patient, String department) {
        page.fill("[id='" + form + ":patient']", patient);
        page.fill("[id='" + form + ":department']", department);
    }

    private static Path pem(IssuedCredentials c, String name) throws Exception {
        String body = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        Path file = ItConfig.output().resolve(name);
        Files.writeString(file, body, StandardCharsets.US_ASCII);
        return file;
    }

    /** Every other role's work page refuses this user, by direct URL and by a forged form post. */
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
                    .setForm(FormData.create().set("diagnose", "diagnose").set("diagnose:patient", "p")
                            .set("diagnose:department", DEPT).set("diagnose:diagnosis", "forged").set("diagnose:write", "x")
                            .set("descriptorId", claimsRecord).set("jakarta.faces.ViewState", "stateless"))
                    .setMaxRedirects(0));
            assertEquals(403, post.status(), role + " posted to " + url);
        }
        PortalBrowser.assertAccessible(page, "refusal page");
    }
}
