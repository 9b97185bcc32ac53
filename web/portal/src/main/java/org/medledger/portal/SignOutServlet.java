package org.medledger.portal;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Sign-out for every role (POST only, from the header's form): ends the portal session, then
 * sends the browser to Keycloak's end-session endpoint so the single sign-on session ends too;
 * Keycloak returns the browser to the portal's start page, which asks for a new login.
 */
@WebServlet("/signout")
public class SignOutServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** The realm's URL, set by configure-oidc.cli (the same provider URL the portal logs in with). */
    static final String REALM_URL_PROPERTY = "medledger.keycloak.realm-url";

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
        HttpSession session = req.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        req.logout();
        resp.setHeader("Cache-Control", "no-store");
        String realm = System.getProperty(REALM_URL_PROPERTY, "");
        String back = req.getScheme() + "://" + req.getServerName() + ":" + req.getServerPort() + req.getContextPath() + "/";
        if (realm.isEmpty()) {
            resp.sendRedirect(back);
            return;
        }
        resp.sendRedirect(realm + "/protocol/openid-connect/logout?client_id=medledger-portal&post_logout_redirect_uri="
                + URLEncoder.encode(back, StandardCharsets.UTF_8));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
    }
}
