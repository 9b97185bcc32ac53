package org.medledger.portal;

import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;

import org.medledger.platform.DomainException;

/** The signed-in doctor's own membership entry with its inclusion proof. Doctors only (web.xml). */
@WebServlet("/doctor/membership-proof")
public class MembershipProofServlet extends OwnProofServlet {

    private static final long serialVersionUID = 1L;

    @Override
    JsonObjectBuilder proofs(long treeSize) throws DomainException {
        return json(audit.ownMembershipProof(treeSize));
    }
}
