package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ClientCertificate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Headless Debian Chromium driven by Playwright (the project's one browser driver): password
 * logins through Keycloak's form, certificate logins presenting a doctor's medical-authority
 * certificate in the TLS handshake, screenshots and axe-core accessibility checks.
 */
final class PortalBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** A phone's viewport (CSS pixels). */
    static final int PHONE_WIDTH = 390;
    static final int PHONE_HEIGHT = 844;

    private final Playwright playwright;
    private final Browser browser;

    private PortalBrowser(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static PortalBrowser launch() {
        Playwright pw = playwright();
        return new PortalBrowser(pw, pw.chromium().launch(launchOptions()));
    }

    /**
     * Playwright's driver; it trusts the test installation's TLS authority as well (NODE_EXTRA_CA_CERTS), for
     * the connections it makes itself when a context presents a client certificate (doctor logins).
     */
    static Playwright playwright() {
        return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1",
                "NODE_EXTRA_CA_CERTS", ItConfig.tlsCa().toString())));
    }

    /**
     * Headless Debian Chromium trusting the test installation's TLS authority through the NSS database of its
     * home (certify-test-server.sh made it with certutil), as a hospital's managed browsers trust theirs;
     * certificate errors are never ignored.
     */
    static BrowserType.LaunchOptions launchOptions() {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException("Debian chromium is required (bin/test installs it)");
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", ItConfig.chromiumHome().toString());
        return new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setEnv(env)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-quic", "--no-first-run"));
    }

    /** A fresh browser context (own cookies). */
    BrowserContext context(boolean phone) {
        Browser.NewContextOptions o = new Browser.NewContextOptions();
        o.setViewportSize(phone ? PHONE_WIDTH : 1280, phone ? PHONE_HEIGHT : 900);
        return browser.newContext(o);
    }

    /** Opens the portal and signs in through Keycloak's password form. */
    Page loginWithPassword(String username, boolean phone) {
        return loginWithPassword(ItConfig.portal(), username, phone);
    }

    /** Opens the portal at {@code portal} (another test server's) and signs in through Keycloak's password form. */
    Page loginWithPassword(String portal, String username, boolean phone) {
        Page page = context(phone).newPage();
        page.setDefaultTimeout(60_000);
        page.navigate(portal);
        page.locator("#username").waitFor();
        assertTrue(page.url().startsWith(ItConfig.keycloakHttps() + "/realms/medledger/"), page.url());
        page.fill("#username", username);
        page.fill("#password", username + "-demo");
        page.click("#kc-login");
        page.waitForURL(url -> url.startsWith(portal));
        page.locator("strong#signed-in-user").waitFor();
        assertEquals(username, page.locator("strong#signed-in-user").innerText());
        return page;
    }

    /** Opens the portal presenting {@code pfx} to Keycloak: no password, the certificate is the credential. */
    Page loginWithCertificate(Path pfx, char[] password) {
        Browser.NewContextOptions o = new Browser.NewContextOptions()
                .setViewportSize(1280, 900)
                .setClientCertificates(List.of(new ClientCertificate(ItConfig.keycloakHttps())
                        .setPfxPath(pfx).setPassphrase(new String(password))));
        Page page = browser.newContext(o).newPage();
        page.setDefaultTimeout(60_000);
        page.navigate(ItConfig.portal());
        page.waitForURL(url -> url.startsWith(ItConfig.portal()));
        page.locator("strong#signed-in-user").waitFor();
        return page;
    }

    static Path screenshot(Page page, String name) {
        try {
            Path dir = Files.createDirectories(ItConfig.output().resolve("screenshots"));
            Path file = dir.resolve(name);
            page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** axe-core (WCAG 2 A/AA and best practices) finds no serious or critical violation. */
    static void assertAccessible(Page page, String what) {
        AxeResults results = new AxeBuilder(page).analyze();
        List<Rule> bad = results.getViolations().stream()
                .filter(r -> "serious".equals(r.getImpact()) || "critical".equals(r.getImpact()))
                .toList();
        assertTrue(bad.isEmpty(), what + ": " + bad.stream()
                .map(r -> r.getImpact() + " " + r.getId() + " (" + r.getHelp() + ") at "
                        + r.getNodes().stream().map(n -> String.valueOf(n.getTarget())).collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; ")));
    }

    /** Nothing of a server-side failure reaches the page. */
    static void assertNoStackTrace(Page page) {
        String text = page.content();
        assertFalse(text.contains("Exception") || text.contains("\tat ") || text.contains("at org.")
                || text.contains("at java."), "page shows internals: " + page.url());
    }

    /** The page fits the viewport's width (no sideways scrolling at phone width). */
    static void assertFitsWidth(Page page) {
        Object over = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth");
        assertTrue(((Number) over).intValue() <= 0, page.url() + " is wider than the viewport by " + over + " px");
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
