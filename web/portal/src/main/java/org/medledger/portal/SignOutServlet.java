package org.medledger.portal;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Sign-out for every role (POST only, from the header's form): ends the portal session, then
 * sends the browser to the identity provider's end-session endpoint (from its published OpenID
 * configuration, the address browsers use) so the single sign-on session ends too; Keycloak
 * returns the browser to the portal's start page, which asks for a new login.
 */
@WebServlet("/signout")
public class SignOutServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(SignOutServlet.class.getName());
    /** The realm's URL, set by configure-oidc.cli (the same provider URL the portal logs in with). */
    static final String REALM_URL_PROPERTY = "medledger.keycloak.realm-url";
    // per servlet instance, not static: a JDK client's selector thread holds the deployment's class
    // loader while the client is referenced, and the instance is released at undeploy
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static volatile String endSession;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            req.logout();
        } catch (ServletException e) {
            // the session below ends regardless
        }
        HttpSession session = req.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        resp.setHeader("Cache-Control", "no-store");
        String back = req.getScheme() + "://" + req.getServerName() + ":" + req.getServerPort() + req.getContextPath() + "/";
        String endpoint = endSessionEndpoint();
        if (endpoint == null) {
            resp.sendRedirect(back);
            return;
        }
        resp.sendRedirect(endpoint + "?client_id=medledger-portal&post_logout_redirect_uri="
                + URLEncoder.encode(back, StandardCharsets.UTF_8));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
    }

    /** {@code end_session_endpoint} of the realm's OpenID configuration, fetched once; null if unavailable. */
    private String endSessionEndpoint() {
        String e = endSession;
        if (e != null) {
            return e;
        }
        String realm = System.getProperty(REALM_URL_PROPERTY, "");
        if (realm.isEmpty()) {
            return null;
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(realm + "/.well-known/openid-configuration"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                LOG.warning(() -> "OpenID configuration of the realm answered " + r.statusCode() + "; sign-out ends the portal session only");
                return null;
            }
            try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
                JsonObject o = reader.readObject();
                e = o.getString("end_session_endpoint", null);
            }
            if (e != null && (e.startsWith("https://") || e.startsWith("http://"))) {
                endSession = e;
                return e;
            }
            return null;
        } catch (IOException | RuntimeException ex) {
            LOG.warning(() -> "OpenID configuration of the realm unavailable (" + ex.getClass().getSimpleName()
                    + "); sign-out ends the portal session only");
            return null;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
