package org.medledger.portal;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;

import org.medledger.platform.DomainException;

/** Every access entry about the signed-in patient, each with its inclusion proof. Patients only (web.xml). */
@WebServlet("/patient/access-proofs")
public class AccessProofsServlet extends OwnProofServlet {

    private static final long serialVersionUID = 1L;

    @Override
    JsonObjectBuilder proofs(long treeSize) throws DomainException {
        JsonArrayBuilder entries = Json.createArrayBuilder();
        audit.ownAccessProofs(treeSize).forEach(p -> entries.add(json(p)));
        return Json.createObjectBuilder().add("treeSize", treeSize).add("entries", entries);
    }
}
