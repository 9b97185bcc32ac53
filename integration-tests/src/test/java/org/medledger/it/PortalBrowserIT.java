package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal in headless Debian Chromium: redirected to the Keycloak login form, signed in,
 * back on the portal page showing the user and role.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PortalBrowserIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Deployments.medledgerEar();
    }

    @BeforeAll
    static void keycloak() {
        KeycloakServer.ensureStarted();
    }

    private ChromeDriver browser;

    @BeforeEach
    void openBrowser() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("Debian chromium and chromium-driver are required (bin/test installs them)");
        }
        Path profile = Files.createTempDirectory(ItConfig.output(), "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--window-size=1280,900",
                // Keycloak's TLS certificate comes from the test run's own medical authority.
                "--ignore-certificate-errors",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void patientLogsInThroughKeycloakAndSeesUserAndRole() throws Exception {
        browser.get(ItConfig.portal());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

        // Not logged in: the portal sends the browser to the realm's login form.
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        assertTrue(browser.getCurrentUrl().startsWith(ItConfig.keycloakHttps() + "/realms/medledger/"),
                browser.getCurrentUrl());
        screenshot("portal-login.png");

        browser.findElement(By.id("username")).sendKeys("patient");
        browser.findElement(By.id("password")).sendKeys("patient-demo");
        browser.findElement(By.id("kc-login")).click();

        wait.until(d -> d.getCurrentUrl().startsWith(ItConfig.portal()));
        WebElement user = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("strong#username")));
        assertEquals("patient", browser.findElement(By.cssSelector("strong#username")).getText());
        List<String> roles = browser.findElements(By.cssSelector("#roles li")).stream().map(WebElement::getText).toList();
        assertEquals(List.of("patient"), roles);
        String pk = browser.findElement(By.id("kgc-public-key")).getText();
        assertTrue(pk.matches("[A-Za-z0-9+/]{43}[=]?|[A-Za-z0-9+/]{44}"), "KGC public key shown: " + pk);
        assertTrue(user.isDisplayed());
        screenshot("portal-patient.png");
    }

    private void screenshot(String name) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Path dir = Files.createDirectories(ItConfig.output().resolve("screenshots"));
        Files.copy(shot.toPath(), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
