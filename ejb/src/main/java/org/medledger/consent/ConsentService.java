package org.medledger.consent;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;

import java.util.Set;
import java.util.logging.Logger;

import org.medledger.consensus.LedgerNode;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.contract.seeds.ConsentContract;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.platform.DomainException;

/**
 * Patient consent on the ledger: the patient's device signs a {@code consent.grant} or
 * {@code consent.revoke} transaction with the patient's own member key; the server only checks
 * that it is the caller's own consent and submits it (the ledger verifies the signature). Record
 * holders read the consent from the ledger at release time ({@link #permits}).
 */
@Stateless
public class ConsentService {

    private static final Logger LOG = Logger.getLogger(ConsentService.class.getName());
    public static final int MAX_TRANSACTION = 8 * 1024;
    static final Set<String> FUNCTIONS = Set.of("grant", "revoke");

    @EJB
    LedgerNode ledger;

    @EJB
    PatientConsents consents;

    /** Submits the caller's own signed consent transaction; returns its receipt. */
    public Receipt submit(byte[] encodedTransaction, String callerId) throws DomainException {
        if (encodedTransaction == null || encodedTransaction.length == 0 || encodedTransaction.length > MAX_TRANSACTION) {
            throw invalid("INVALID_TRANSACTION", "transaction must be 1 to " + MAX_TRANSACTION + " bytes");
        }
        Transaction tx;
        String patient;
        try {
            tx = Transaction.decode(encodedTransaction);
            patient = tx.body().args().string("patientId");
            tx.body().args().string("granteeId");
            tx.body().args().string("scope");
        } catch (RuntimeException e) {
            throw invalid("INVALID_TRANSACTION", "not a well-formed consent transaction");
        }
        if (!tx.body().contract().equals(ConsentContract.NAME) || !FUNCTIONS.contains(tx.body().function())) {
            throw invalid("NOT_A_CONSENT", "only consent.grant and consent.revoke are accepted here");
        }
        if (!tx.body().submitter().equals(callerId) || !patient.equals(callerId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY",
                    "a patient submits only its own consent, signed by itself");
        }
        Receipt r = ledger.submitSigned(tx);
        consents.noted(patient, tx.body().args().string("granteeId"), tx.body().args().string("scope"), r.logIndex());
        LOG.info(() -> "Consent " + tx.body().function() + " by " + callerId + " at log index " + r.logIndex());
        return r;
    }

    /** Whether the ledger holds an unrevoked, unexpired grant of {@code patientId} to {@code granteeId} for {@code scope}. */
    public boolean permits(String patientId, String granteeId, String scope, long atMillis) {
        try {
            ledger.query(ConsentContract.NAME, "check", Arguments.builder().put("patientId", patientId)
                    .put("granteeId", granteeId).put("scope", scope).put("at", atMillis).build());
            return true;
        } catch (LedgerException e) {
            // no grant, revoked or expired: the contract's refusal (fail closed)
            return false;
        } catch (jakarta.ejb.EJBException e) {
            // the ledger node is a bean: its refusal arrives wrapped
            if (e.getCause() instanceof LedgerException) {
                return false;
            }
            throw e;
        }
    }

    private static DomainException invalid(String code, String detail) {
        return new DomainException(DomainException.Kind.INVALID, code, detail);
    }
}
