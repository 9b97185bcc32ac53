package org.medledger.audit;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.medledger.consensus.LedgerNode;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.store.StoredBlock;
import org.medledger.ledger.verify.ChainSource;
import org.medledger.ledger.verify.LedgerVerifier;
import org.medledger.ledger.verify.VerificationReport;

/**
 * The full verification of this node's ledger (the ledger module's {@link LedgerVerifier}: every
 * block, transaction, signature, contract replay and tree head from genesis), run in the
 * background with its progress visible. One run at a time per server.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class LedgerVerificationRun {

    private static final Logger LOG = Logger.getLogger(LedgerVerificationRun.class.getName());

    @EJB
    LedgerNode ledger;

    @Resource
    ManagedExecutorService executor;

    private final AtomicReference<VerificationStatus> status = new AtomicReference<>(VerificationStatus.IDLE);
    private final AtomicLong blocksRead = new AtomicLong();

    /**
     * Starts a run unless one is running.
     *
     * @return false when a run was already under way (that run goes on)
     */
    @RolesAllowed("auditor")
    public boolean start(String startedBy) {
        VerificationStatus current = status.get();
        if (current.state() == VerificationStatus.State.RUNNING) {
            return false;
        }
        long total = ledger.head().map(h -> h.number() + 1).orElse(0L);
        VerificationStatus running = new VerificationStatus(VerificationStatus.State.RUNNING, 0, total, 0, "",
                startedBy, Instant.now(), null);
        if (!status.compareAndSet(current, running)) {
            return false;
        }
        blocksRead.set(0);
        executor.submit(() -> run(running));
        LOG.info(() -> "Full ledger verification started by " + startedBy + " over " + total + " blocks");
        return true;
    }

    private void run(VerificationStatus started) {
        ChainSource chain = ledger.chain();
        ChainSource counted = new ChainSource() {
            @Override
            public List<StoredBlock> blocks(long fromNumber, int limit) {
                List<StoredBlock> page = chain.blocks(fromNumber, limit);
                blocksRead.addAndGet(page.size());
                return page;
            }

            @Override
            public List<SignedTreeHead> treeHeads(long fromSize, int limit) {
                return chain.treeHeads(fromSize, limit);
            }

            @Override
            public List<org.medledger.ledger.store.StoredTransaction> transactions(long fromIndex, int limit) {
                return chain.transactions(fromIndex, limit);
            }

            @Override
            public List<org.medledger.ledger.store.StateEntry> state(String afterNamespace, String afterKey, int limit) {
                return chain.state(afterNamespace, afterKey, limit);
            }
        };
        VerificationStatus done;
        try {
            VerificationReport report = new LedgerVerifier(ledger.anchors(), ledger.contracts(), P256SignatureScheme.INSTANCE)
                    .verify(counted);
            done = new VerificationStatus(report.ok() ? VerificationStatus.State.PASSED : VerificationStatus.State.FAILED,
                    report.blocks(), Math.max(started.blocksTotal(), report.blocks()), report.transactions(),
                    report.failure().map(Object::toString).orElse(""), started.startedBy(), started.startedAt(),
                    Instant.now());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Full ledger verification could not run", e);
            done = new VerificationStatus(VerificationStatus.State.FAILED, blocksRead.get(), started.blocksTotal(), 0,
                    "the verification could not read the chain: " + e.getClass().getSimpleName(),
                    started.startedBy(), started.startedAt(), Instant.now());
        }
        status.set(done);
        VerificationStatus d = done;
        LOG.info(() -> "Full ledger verification " + d.state() + (d.finding().isEmpty() ? "" : ": " + d.finding()));
    }

    /** The current or last run. */
    @RolesAllowed({"auditor", "hospital-admin"})
    public VerificationStatus status() {
        VerificationStatus s = status.get();
        if (s.state() == VerificationStatus.State.RUNNING) {
            return new VerificationStatus(s.state(), Math.min(blocksRead.get(), s.blocksTotal()), s.blocksTotal(), 0, "",
                    s.startedBy(), s.startedAt(), null);
        }
        return s;
    }
}
