package org.medledger.portal;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;

import org.medledger.audit.EntryProof;
import org.medledger.audit.LedgerAudit;
import org.medledger.platform.DomainException;

/**
 * The signed-in member's own membership entry with its inclusion proof in the tree of the size
 * the browser asks for (the size of a tree head it fetched and checked itself). Only the caller's
 * own entry: there is no parameter naming a member. Doctors only (web.xml).
 */
@WebServlet("/doctor/membership-proof")
public class MembershipProofServlet extends HttpServlet {

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
            problem(resp, 400, "INVALID_TREE_SIZE", "treeSize must be a number");
            return;
        }
        try {
            resp.getWriter().write(json(audit.ownMembershipProof(treeSize)).build().toString());
        } catch (DomainException e) {
            problem(resp, e.kind() == DomainException.Kind.NOT_FOUND ? 404 : 400, e.code(), e.getMessage());
        }
    }

    /** An entry with its proof as the page's script reads it. */
    static JsonObjectBuilder json(EntryProof p) {
        JsonArrayBuilder path = Json.createArrayBuilder();
        p.path().forEach(h -> path.add(HexFormat.of().formatHex(h)));
        return Json.createObjectBuilder()
                .add("logIndex", p.logIndex())
                .add("treeSize", p.treeSize())
                .add("leafData", Base64.getEncoder().encodeToString(p.leafData()))
                .add("path", path);
    }

    static void problem(HttpServletResponse resp, int status, String code, String detail) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/problem+json");
        resp.getWriter().write(Json.createObjectBuilder().add("status", status).add("code", code)
                .add("detail", detail).build().toString());
    }
}
