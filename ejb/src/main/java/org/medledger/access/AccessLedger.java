package org.medledger.access;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.PersistenceContext;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import org.medledger.consensus.LedgerNode;
import org.medledger.ledger.contract.seeds.AccessContract;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.tx.TxBody;
import org.medledger.platform.DomainException;

/**
 * The access entry on the ledger, for every scheme whose holder releases records: one ledger
 * transaction ({@code access.record}, signed by the holder's member key) per release attempt,
 * allowed or refused, appended and committed <em>before</em> the caller releases anything. Entries
 * are also indexed by patient (table {@code access_entry}) so that a patient can list them with
 * proofs. A record is released only if both writes succeed: the index row is written first (under
 * a provisional key, in the caller's transaction), then the ledger entry, then the row takes the
 * entry's log index. If any of them fails the caller gets {@code ACCESS_NOT_RECORDED} and must not
 * release. A failure of the index before the append leaves the ledger unchanged; a failure after
 * it (the database lost between two statements, or the caller's commit) leaves an entry on the
 * append-only ledger for an access that was not released, named with its log index in the server
 * log: an entry records the holder's decision, committed before the record left, not its receipt.
 * In consortium mode every node indexes the access entries of the blocks it stores instead.
 */
@Stateless
public class AccessLedger {

    private static final Logger LOG = Logger.getLogger(AccessLedger.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    @EJB
    LedgerNode ledger;

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    /** A committed access entry: where it is in the log. */
    public record Recorded(AccessEntry entry, long logIndex, long treeSize) {
    }

    /**
     * Appends {@code entry} signed by {@code holder} and waits for its block.
     *
     * @throws DomainException {@code ACCESS_NOT_RECORDED} (503) if the entry is not both on the ledger and indexed
     */
    public Recorded append(AccessEntry entry, Signer holder) throws DomainException {
        Arguments args = Arguments.builder()
                .put("scheme", entry.scheme())
                .put("holderId", entry.holderId())
                .put("patientId", entry.patientId())
                .put("accessorId", entry.accessorId())
                .put("outcome", entry.outcome().wire())
                .put("reason", entry.reason())
                .put("at", entry.at())
                .build();
        TxBody body = new TxBody(entry.holderId(), AccessContract.NAME, "record", args, System.currentTimeMillis(),
                RANDOM.nextLong());
        return append(entry, body.sign(holder));
    }

    /**
     * Appends a scheme's own access transaction for {@code entry} (e.g. CLOUD-CHAIN's
     * {@code cloud-chain.access-log}), already signed by the holder, as the one ledger entry of
     * this access, waits for its block and indexes it by patient.
     *
     * @throws DomainException {@code ACCESS_NOT_RECORDED} (503) if the entry is not both on the ledger and indexed
     */
    public Recorded append(AccessEntry entry, Transaction signed) throws DomainException {
        // a consortium node indexes every access.record it stores, whichever node wrote it (LedgerNode)
        boolean indexedByTheNode = ledger.inConsortium() && signed.body().contract().equals(AccessContract.NAME);
        // otherwise the patient's index row first: if the database cannot take it, nothing reaches the ledger
        long provisional = -1 - (RANDOM.nextLong() & Long.MAX_VALUE);
        if (!indexedByTheNode) {
            try {
                em.createNativeQuery("INSERT INTO access_entry (log_index, scheme, holder_id, patient_id, accessor_id, outcome, reason, accessed_at) "
                                + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                        .setParameter(1, provisional).setParameter(2, entry.scheme()).setParameter(3, entry.holderId())
                        .setParameter(4, entry.patientId()).setParameter(5, entry.accessorId()).setParameter(6, entry.outcome().wire())
                        .setParameter(7, entry.reason()).setParameter(8, entry.at()).executeUpdate();
                em.flush();
            } catch (PersistenceException e) {
                LOG.warning(() -> "Access entry of " + entry.holderId() + " not indexed (" + e.getClass().getSimpleName()
                        + "): not appended, nothing released");
                throw new DomainException(DomainException.Kind.UNAVAILABLE, "ACCESS_NOT_RECORDED",
                        "the access could not be recorded, so nothing is released");
            }
        }
        Receipt receipt;
        try {
            receipt = ledger.submitSigned(signed);
        } catch (DomainException e) {
            LOG.warning(() -> "Access entry of " + entry.holderId() + " not recorded (" + e.code() + "): nothing released");
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "ACCESS_NOT_RECORDED",
                    "the access could not be written to the ledger (" + e.code() + "), so nothing is released");
        } catch (RuntimeException e) {
            LOG.warning(() -> "Access entry of " + entry.holderId() + " not recorded (" + e.getClass().getSimpleName()
                    + "): nothing released");
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "ACCESS_NOT_RECORDED",
                    "the access could not be written to the ledger, so nothing is released");
        }
        if (indexedByTheNode) {
            return new Recorded(entry, receipt.logIndex(), receipt.treeHead().treeSize());
        }
        try {
            em.createNativeQuery("UPDATE access_entry SET log_index = ?1 WHERE log_index = ?2")
                    .setParameter(1, receipt.logIndex()).setParameter(2, provisional).executeUpdate();
            em.flush();
        } catch (PersistenceException e) {
            LOG.severe(() -> "Access entry at ledger index " + receipt.logIndex() + " (" + entry.holderId() + ", "
                    + entry.outcome().wire() + ") is on the ledger but not indexed for its patient: nothing released");
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "ACCESS_NOT_RECORDED",
                    "the access could not be recorded, so nothing is released");
        }
        return new Recorded(entry, receipt.logIndex(), receipt.treeHead().treeSize());
    }

    /** The log indexes of every access entry about {@code patientId}, oldest first. */
    public List<Long> logIndexesOf(String patientId) {
        List<Long> out = new ArrayList<>();
        for (Object o : em.createNativeQuery("SELECT log_index FROM access_entry WHERE patient_id = ?1 ORDER BY log_index")
                .setParameter(1, patientId).getResultList()) {
            out.add(((Number) o).longValue());
        }
        return out;
    }
}
