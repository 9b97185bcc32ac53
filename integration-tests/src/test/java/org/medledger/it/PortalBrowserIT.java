package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The portal in headless Debian Chromium: redirected to the Keycloak login form, signed in,
 * back on the portal page showing the user and role.
 */
class PortalBrowserIT extends DeployedServer {

    @Test
    void patientLogsInThroughKeycloakAndSeesUserAndRole() {
        try (PortalBrowser browser = PortalBrowser.launch()) {
            Page page = browser.context(false).newPage();
            page.setDefaultTimeout(60_000);
            page.navigate(ItConfig.portal());

            // Not logged in: the portal sends the browser to the realm's login form.
            page.locator("#username").waitFor();
            assertTrue(page.url().startsWith(ItConfig.keycloakHttps() + "/realms/medledger/"), page.url());
            PortalBrowser.screenshot(page, "portal-login.png");

            page.fill("#username", "patient");
            page.fill("#password", "patient-demo");
            page.click("#kc-login");

            page.waitForURL(url -> url.startsWith(ItConfig.portal()));
            page.locator("strong#username").waitFor();
            assertEquals("patient", page.locator("strong#username").innerText());
            assertEquals(List.of("patient"), page.locator("#roles li").allInnerTexts());
            String pk = page.locator("#kgc-public-key").innerText();
            assertTrue(pk.matches("[A-Za-z0-9+/]{43}[=]?|[A-Za-z0-9+/]{44}"), "KGC public key shown: " + pk);
            PortalBrowser.screenshot(page, "portal-patient.png");
        }
    }
}
