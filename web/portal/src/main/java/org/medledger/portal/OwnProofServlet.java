package org.medledger.portal;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
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
 * The signed-in user's own ledger entries with their inclusion proofs in the tree of the size the
 * browser asks for ({@code ?treeSize=}, the size of a tree head the page fetched and checked
 * itself). There is never a parameter naming whose entries: only the caller's own. Which roles
 * reach each subclass is set in web.xml. Never cached; refusals are problem+json.
 */
abstract class OwnProofServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    LedgerAudit audit;

    /** The answer for the caller in the tree of {@code treeSize} entries. */
    abstract JsonObjectBuilder proofs(long treeSize) throws DomainException;

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
            resp.getWriter().write(proofs(treeSize).build().toString());
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
