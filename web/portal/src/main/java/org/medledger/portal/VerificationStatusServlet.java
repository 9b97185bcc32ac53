package org.medledger.portal;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

import org.medledger.audit.LedgerVerificationRun;
import org.medledger.audit.VerificationStatus;

/** Progress of the full ledger verification for the auditor page's progress bar (auditors only, web.xml). */
@WebServlet("/auditor/verification-status")
public class VerificationStatusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    LedgerVerificationRun verification;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        VerificationStatus s = verification.status();
        resp.setContentType("application/json");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(Json.createObjectBuilder()
                .add("state", s.state().name())
                .add("percent", s.percent())
                .add("blocksRead", s.blocksRead())
                .add("blocksTotal", s.blocksTotal())
                .add("transactions", s.transactions())
                .add("finding", s.finding())
                .build().toString());
    }
}
