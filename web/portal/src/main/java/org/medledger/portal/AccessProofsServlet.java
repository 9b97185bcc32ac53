package org.medledger.portal;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

import org.medledger.audit.LedgerAudit;
import org.medledger.platform.DomainException;

/**
 * Every access entry about the signed-in patient, each with its inclusion proof in the tree of
 * the size the browser asks for (a tree head it fetched and checked itself). Only the caller's
 * own entries: there is no parameter naming a patient. Patients only (web.xml).
 */
@WebServlet("/patient/access-proofs")
public class AccessProofsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    LedgerAudit audit;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("application/json");
        long treeSize;
        try {
            treeSize = Long.parseLong(req.getParameter("treeSize"));
        } catch (NumberFormatException e) {
            MembershipProofServlet.problem(resp, 400, "INVALID_TREE_SIZE", "treeSize must be a number");
            return;
        }
        JsonArrayBuilder entries = Json.createArrayBuilder();
        try {
            audit.ownAccessProofs(treeSize).forEach(p -> entries.add(MembershipProofServlet.json(p)));
        } catch (DomainException e) {
            MembershipProofServlet.problem(resp, 400, e.code(), e.getMessage());
            return;
        }
        resp.getWriter().write(Json.createObjectBuilder().add("treeSize", treeSize).add("entries", entries)
                .build().toString());
    }
}
