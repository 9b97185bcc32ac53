package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ClientCertificate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medledger.client.pki.IssuedCredentials;

/**
 * A doctor's portal login in headless Debian Chromium, driven by Playwright, which presents the
 * doctor's medical-authority certificate in the TLS handshake with Keycloak: no password, the
 * certificate is the credential.
 */
class PortalDoctorCertificateIT extends DeployedServer {

    @Test
    void doctorLogsInToThePortalWithItsCertificate() throws Exception {
        IssuedCredentials doctor = ItPki.authority().issueDoctorWithNewKey("doctor", Duration.ofDays(1));
        Path pfx = ItConfig.output().resolve("portal-doctor.p12");
        char[] pw = "portal-doctor".toCharArray();
        doctor.writePkcs12(pfx, "doctor", pw.clone());

        try (Playwright playwright = PortalBrowser.playwright()) {
            Browser browser = playwright.chromium().launch(PortalBrowser.launchOptions());
            BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                    .setClientCertificates(List.of(new ClientCertificate(ItConfig.keycloakHttps())
                            .setPfxPath(pfx).setPassphrase(new String(pw)))));
            Page page = context.newPage();
            page.setDefaultTimeout(60_000);
            page.navigate(ItConfig.portal());
            page.waitForURL(url -> url.startsWith(ItConfig.portal()));
            page.locator("strong#username").waitFor();
            assertEquals("doctor", page.locator("strong#username").innerText());
            assertEquals(List.of("doctor"), page.locator("#roles li").allInnerTexts());
            Path shots = Files.createDirectories(ItConfig.output().resolve("screenshots"));
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("portal-doctor-certificate.png")));
            assertTrue(page.url().startsWith(ItConfig.portal()));
            browser.close();
        }
    }
}
