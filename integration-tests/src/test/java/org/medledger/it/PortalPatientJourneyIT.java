package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.client.ApiProblem;
import org.medledger.client.MedLedgerClient;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.consent.ConsentKeyProof;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.emrauth.DoctorEmrSearch;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.emrauth.EmrRequest;
import org.medledger.protocol.emrauth.HospitalAccessRequest;
import org.medledger.protocol.emrauth.PatientDevice;
import org.medledger.protocol.emrauth.RegistrationResponse;

/**
 * The patient's journey through the portal in headless Chromium: the patient creates its consent
 * key in the browser (non-extractable, the KGC certifies the public key on the ledger), grants a
 * doctor consent signed there; the doctor stores and reads the record over REST as its device
 * client does; the access appears on the patient's page, verified by the browser; the patient
 * revokes in the browser, the doctor's next access is refused and listed as refused, verified.
 * Also: the form's field messages, a forged proof of possession, the record locations, phone
 * width, axe-core, and other roles refused the page by URL and forged POST.
 */
class PortalPatientJourneyIT extends DeployedServer {

    static final String DEPT = "cardiology";
    private static PortalBrowser browser;

    @BeforeAll
    static void servers() throws Exception {
        ItPki.startResponder();
        browser = PortalBrowser.launch();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void consentSignedInTheBrowserThenAccessVerifiedThenRevokedAndRefused() throws Exception {
        // The patient registers with the KGC from its device (the biometric secret stays there).
        String id = EmrAuthParties.unique("pt-journey");
        KeycloakAdmin.createUser(id, "patient");
        KeycloakAdmin.setPassword(id, id + "-demo");
        String token = Tokens.forUser(id);
        byte[] b = new byte[32];
        EmrAuthParties.RANDOM.nextBytes(b);
        SecretBytes bP = SecretBytes.copyOf(b);
        RegistrationResponse issued = new MedLedgerClient(Http.client(), URI.create(ItConfig.api()))
                .registerPatient(token, id, bP, EmrAuthParties.CURVE).response();
        PartyKeys keys = PartyKeys.generate(EmrAuthParties.CURVE, EmrAuthParties.RANDOM);
        PatientDevice device = new PatientDevice(EmrAuthParties.env(), EmrAuthParties.trust(token), keys, id, bP);
        device.acceptRegistration(issued);
        EmrAuthParties.Medic d = EmrAuthParties.doctor();
        String hpc = EmrAuthParties.hospital();

        Page page = browser.loginWithPassword(id, false);
        try {
            journey(page, id, token, keys, d, hpc);
        } catch (Throwable t) {
            // what the page showed when the journey stopped, for the report
            PortalBrowser.screenshot(page, "portal-patient-journey-failure.png");
            java.nio.file.Files.writeString(ItConfig.output().resolve("portal-patient-journey-failure.html"), page.content());
            throw t;
        }
    }

    private void journey(Page page, String id, String token, PartyKeys keys, EmrAuthParties.Medic d, String hpc) throws Exception {
        assertEquals(List.of("Home", "My records", "Consents"), page.locator("#nav a").allInnerTexts());
        page.click("#nav >> text=Consents");
        assertTrue(page.locator("#key-state").innerText().contains("no consent key yet"), page.locator("#key-state").innerText());
        PortalBrowser.assertAccessible(page, "consents page without a key");
        PortalBrowser.screenshot(page, "portal-patient-consents-no-key.png");

        // Granting before there is a key: the page says to create one first.
        fillGrant(page, d.id(), DEPT, LocalDate.now(ZoneOffset.UTC).plusDays(30));
        page.click("[id='consent-grant:grant']");
        page.locator("[id='grant-help']").getByText("Create your consent key first").waitFor();

        // A key this browser does not hold cannot be registered: the proof of possession is checked.
        Signer other = P256SignatureScheme.generate(EmrAuthParties.RANDOM);
        Signer claimed = P256SignatureScheme.generate(EmrAuthParties.RANDOM);
        long now = System.currentTimeMillis();
        String viewState = page.locator("[name='jakarta.faces.ViewState']").first().getAttribute("value");
        APIResponse forged = page.context().request().post(ItConfig.portal() + "patient/consents.xhtml", RequestOptions.create()
                .setForm(FormData.create().set("consent-key", "consent-key")
                        .set("consent-key:publicKey", Base64.getEncoder().encodeToString(claimed.publicKey()))
                        .set("consent-key:signedAt", Long.toString(now))
                        .set("consent-key:proof", Base64.getEncoder().encodeToString(
                                other.sign(ConsentKeyProof.message(id, claimed.publicKey(), now))))
                        .set("consent-key:create", "x").set("jakarta.faces.ViewState", viewState)));
        assertEquals(200, forged.status());
        assertTrue(forged.text().contains("NO_PROOF_OF_POSSESSION"), "a key without its proof of possession is refused");

        // The browser creates the key and registers its public part.
        page.navigate(ItConfig.portal() + "patient/consents.xhtml");
        page.click("[id='consent-key:create']");
        page.locator("#status").getByText("Your consent key is on the ledger").waitFor();
        page.locator("#consent-signing[data-browser-key='yes']").waitFor();
        String ledgerKey = page.locator("#consent-key").innerText().strip();
        // The device certifies its EMR-AUTH keys; its ledger key is the one the browser holds (public).
        EmrAuthParties.API.certify(token, EmrAuthRoles.PATIENT, id, keys.signingPublic().encoded(), keys.kemPublic().encoded(),
                Base64.getDecoder().decode(ledgerKey));

        // Nothing filled in: each field says what is missing, beside it.
        page.click("[id='consent-grant:grant']");
        page.locator("[id='granteeId-help']").getByText("Enter the doctor's or hospital's identifier").waitFor();
        page.locator("[id='scope-help']").getByText("Enter the department").waitFor();
        page.locator("[id='expiry-help']").getByText("Choose the last day").waitFor();
        PortalBrowser.assertAccessible(page, "grant form with errors");
        PortalBrowser.screenshot(page, "portal-patient-consent-validation.png");

        // No such doctor or hospital on the ledger: refused beside the field.
        fillGrant(page, "nobody-" + id, DEPT, LocalDate.now(ZoneOffset.UTC).plusDays(30));
        page.click("[id='consent-grant:grant']");
        page.locator("[id='granteeId-help']").getByText("LEDGER_NOT_FOUND").waitFor();
        PortalBrowser.assertNoStackTrace(page);

        // The grant, signed in the browser.
        LocalDate until = LocalDate.now(ZoneOffset.UTC).plusDays(30);
        fillGrant(page, d.id(), DEPT, until);
        page.click("[id='consent-grant:grant']");
        page.locator("#status").getByText("Consent granted to " + d.id()).waitFor();
        String row = "[id='consent-" + d.id() + "-" + DEPT + "']";
        assertEquals("active", page.locator(row + " td.consent-state").innerText());
        assertTrue(page.locator(row).innerText().contains(until.toString()), page.locator(row).innerText());
        PortalBrowser.assertAccessible(page, "consents page with a consent");
        PortalBrowser.screenshot(page, "portal-patient-consent-granted.png");

        // The doctor stores a version and reads it, over REST as its device client does.
        String dToken = d.token();
        byte[] record = EmrAuthParties.fhirBundle(id, "Hypertension stage 2").getBytes(StandardCharsets.UTF_8);
        EmrAuthParties.API.storeVersion(dToken, hpc, d.device().submitEmrVersion(hpc, id, DEPT, record));
        Access first = access(d, dToken, id);
        assertArrayEquals(record, first.search().readEmr(first.released().delivery()));

        // The access on the patient's page, verified by the browser; the record's location.
        page.click("#nav >> text=My records");
        page.locator("#access-check[data-result]").waitFor();
        assertEquals("verified", page.locator("#access-check").getAttribute("data-result"));
        String accesses = page.locator("#accesses-body").innerText();
        assertTrue(accesses.contains(d.id()) && accesses.contains(hpc) && accesses.contains("released")
                && accesses.contains("verified"), accesses);
        String locations = page.locator("#locations").innerText();
        assertTrue(locations.contains(hpc) && locations.contains(DEPT) && locations.contains(d.id()), locations);
        PortalBrowser.assertAccessible(page, "patient page with an access");
        PortalBrowser.screenshot(page, "portal-patient-access-verified.png");

        // The patient revokes in the browser; the doctor's next access is refused.
        page.click("#nav >> text=Consents");
        page.click(row + " button.revoke");
        page.locator("#status").getByText("revoked").waitFor();
        assertEquals("revoked", page.locator(row + " td.consent-state").innerText());
        assertEquals(0, page.locator(row + " button.revoke").count());
        PortalBrowser.screenshot(page, "portal-patient-consent-revoked.png");
        ApiProblem refused = assertThrows(ApiProblem.class, () -> access(d, dToken, id));
        assertEquals("NOT_AUTHORIZED", refused.code());

        // ... and listed as refused, verified.
        page.click("#nav >> text=My records");
        page.locator("#access-check[data-result]").waitFor();
        assertEquals("verified", page.locator("#access-check").getAttribute("data-result"));
        List<String> rows = page.locator("#accesses-body tr").allInnerTexts();
        assertEquals(2, rows.size(), rows.toString());
        assertTrue(rows.get(1).contains("refused") && rows.get(1).contains("NOT_AUTHORIZED") && rows.get(1).contains("verified"),
                rows.get(1));
        PortalBrowser.screenshot(page, "portal-patient-access-refused.png");
        page.context().close();

        // At phone width: the consents page fits and passes axe.
        Page phone = browser.loginWithPassword(id, true);
        phone.navigate(ItConfig.portal() + "patient/consents.xhtml");
        phone.locator("#consent-signing[data-browser-key]").waitFor();
        // another browser: the key is not here, and the page says so
        assertEquals("no", phone.locator("#consent-signing").getAttribute("data-browser-key"));
        PortalBrowser.assertFitsWidth(phone);
        PortalBrowser.assertAccessible(phone, "consents page at phone width");
        PortalBrowser.screenshot(phone, "portal-patient-consents-phone.png");
        phone.context().close();

        // Other roles: the page and its actions are refused by URL and by forged POST.
        for (String role : List.of("hospital-admin", "auditor")) {
            Page other2 = browser.loginWithPassword(role, false);
            for (String path : List.of("patient/consents.xhtml", "patient/index.xhtml")) {
                Response r = other2.navigate(ItConfig.portal() + path);
                assertEquals(403, r.status(), role + " opened " + path);
                PortalBrowser.assertNoStackTrace(other2);
                APIResponse post = other2.context().request().post(ItConfig.portal() + path, RequestOptions.create()
                        .setForm(FormData.create().set("consent-revoke", "consent-revoke")
                                .set("consent-revoke:granteeId", d.id()).set("consent-revoke:scope", DEPT)
                                .set("consent-revoke:revoke", "x").set("jakarta.faces.ViewState", "stateless"))
                        .setMaxRedirects(0));
                assertEquals(403, post.status(), role + " posted to " + path);
            }
            other2.context().close();
        }
    }

    record Access(DoctorEmrSearch search, EmrAuthClient.Released released) {
    }

    /** One search run of {@code d}: steps 1, 3 and 5 on its device, 2, 4 and 6 on the server. */
    private static Access access(EmrAuthParties.Medic d, String token, String patient) throws Exception {
        DoctorEmrSearch s = d.device().startEmrSearch("pc", patient, DEPT);
        HospitalAccessRequest req = s.acceptSearchResponse(EmrAuthParties.API.search(token, s.request()));
        EmrAuthClient.OpenedAccess opened = EmrAuthParties.API.openAccess(token, s.hospitalId(), req);
        EmrRequest emr = s.acceptAccessResponse(opened.response());
        return new Access(s, EmrAuthParties.API.release(token, s.hospitalId(), opened.sessionId(), emr));
    }

    private static void fillGrant(Page page, String grantee, String scope, LocalDate until) {
        page.fill("[id='consent-grant:granteeId']", grantee);
        page.fill("[id='consent-grant:scope']", scope);
        page.fill("[id='consent-grant:expiry']", until.toString());
    }
}
