package org.medledger.audit;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.medledger.access.AccessLedger;
import org.medledger.consensus.LedgerNode;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.log.LogLeaf;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.merkle.InclusionProof;
import org.medledger.ledger.merkle.MerkleProofs;
import org.medledger.ledger.merkle.ProofException;
import org.medledger.ledger.store.StoredBlock;
import org.medledger.ledger.store.StoredTransaction;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.platform.DomainException;

/**
 * Read-only checks of this server's ledger for auditors, hospital IT and the parties themselves.
 * Every check uses the ledger module's own verification code (signatures against the trust
 * anchors, RFC 9162 proofs); nothing here re-implements a rule.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class LedgerAudit {

    /** Tree heads are listed over at most this many of the newest entries. */
    static final int HISTORY_SPAN = 64;
    /** Entries scanned for the activity chart at most. */
    static final int ACTIVITY_LIMIT = 100_000;

    @EJB
    LedgerNode ledger;

    @Resource
    SessionContext context;

    /** The index of access entries by patient, kept where each entry is appended. */
    @EJB
    AccessLedger accesses;

    /**
     * The newest signed tree heads (at most {@code limit}, oldest first), each with its signature
     * checked against the producer's member certificate and its consistency with the one before
     * it proven from the log.
     */
    @RolesAllowed("auditor")
    public List<TreeHeadCheck> treeHeads(int limit) {
        Optional<SignedTreeHead> latest = ledger.latestTreeHead();
        if (latest.isEmpty() || limit <= 0) {
            return List.of();
        }
        long from = Math.max(0, latest.get().treeSize() - HISTORY_SPAN);
        List<SignedTreeHead> heads = ledger.treeHeads(from, HISTORY_SPAN + 2);
        if (heads.size() > limit) {
            heads = heads.subList(heads.size() - limit, heads.size());
        }
        List<TreeHeadCheck> out = new ArrayList<>(heads.size());
        SignedTreeHead previous = null;
        for (SignedTreeHead h : heads) {
            String problem = "";
            boolean signed = signatureValid(h);
            if (!signed) {
                problem = "signature does not verify with the producer's key";
            }
            boolean consistent = true;
            if (previous != null) {
                try {
                    MerkleProofs.verifyConsistency(ledger.consistencyProof(previous.treeSize(), h.treeSize()),
                            previous.treeSize(), previous.rootHash(), h.treeSize(), h.rootHash());
                } catch (ProofException | LedgerException | IllegalArgumentException e) {
                    consistent = false;
                    problem = (problem.isEmpty() ? "" : problem + "; ") + "not consistent with size "
                            + previous.treeSize() + ": " + e.getMessage();
                }
            }
            out.add(new TreeHeadCheck(h.treeSize(), h.rootHash().hex(), Instant.ofEpochMilli(h.timestamp()), h.signer(),
                    signed, previous == null ? -1 : previous.treeSize(), consistent, problem));
            previous = h;
        }
        return out;
    }

    private boolean signatureValid(SignedTreeHead h) {
        try {
            MemberCertificate producer = ledger.anchors().producer(h.signer(), h.timestamp());
            return h.verify(producer.publicKey(), P256SignatureScheme.INSTANCE);
        } catch (LedgerException e) {
            return false;
        }
    }

    /** Entries per day (UTC), submitter and operation ({@code contract.function}), oldest day first. */
    @RolesAllowed("auditor")
    public List<DailyActivity> activity() {
        Map<String, long[]> counts = new TreeMap<>();
        scan((index, tx) -> {
            LocalDate day = Instant.ofEpochMilli(tx.body().timestamp()).atZone(ZoneOffset.UTC).toLocalDate();
            count(counts, day, tx.body().submitter(), tx.body().contract() + "." + tx.body().function());
        });
        return tally(counts);
    }

    /**
     * Record accesses per day (UTC of the access) and holding hospital, as {@code released} or
     * {@code refused} counts, from the {@code access.record} entries.
     */
    @RolesAllowed("auditor")
    public List<DailyActivity> accesses() {
        Map<String, long[]> counts = new TreeMap<>();
        scanAccesses((index, tx, a) -> count(counts,
                Instant.ofEpochMilli(a.number("at")).atZone(ZoneOffset.UTC).toLocalDate(),
                a.string("holderId"), a.string("outcome")));
        return tally(counts);
    }

    /** Refused accesses by reason code, most frequent first. */
    @RolesAllowed("auditor")
    public List<Map.Entry<String, Long>> refusalsByReason() {
        Map<String, Long> counts = new TreeMap<>();
        scanAccesses((index, tx, a) -> {
            if (!"released".equals(a.string("outcome"))) {
                counts.merge(a.string("reason"), 1L, Long::sum);
            }
        });
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> Map.entry(e.getKey(), e.getValue())).toList();
    }

    /**
     * The caller's own access entries (a patient: every access entry about its records, oldest
     * first), each with its inclusion proof in the tree of {@code treeSize} entries.
     */
    @RolesAllowed("patient")
    public List<EntryProof> ownAccessProofs(long treeSize) throws DomainException {
        List<EntryProof> out = new ArrayList<>();
        for (long index : accesses.logIndexesOf(caller())) {
            if (index < treeSize) {
                out.add(entryProof(index, treeSize));
            }
        }
        return out;
    }

    /** The caller's own membership entry with its inclusion proof in the tree of {@code treeSize} entries. */
    @RolesAllowed("doctor")
    public EntryProof ownMembershipProof(long treeSize) throws DomainException {
        long index = membershipEntry(caller()).orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND,
                "NOT_A_MEMBER", "you have no membership entry on the ledger"));
        return entryProof(index, treeSize);
    }

    /** The log index of the caller's own membership entry, if it is a member. */
    @RolesAllowed("doctor")
    public Optional<Long> ownMembershipEntry() {
        return membershipEntry(caller());
    }

    private String caller() {
        return context.getCallerPrincipal().getName();
    }

    /** A ledger entry as the scan hands it over. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long logIndex, Transaction tx);
    }

    @FunctionalInterface
    interface AccessVisitor {
        void visit(long logIndex, Transaction tx, Arguments access);
    }

    /** Visits every readable entry, oldest first, at most {@link #ACTIVITY_LIMIT}. */
    @RolesAllowed("auditor")
    public void scan(EntryVisitor visitor) {
        long seen = 0;
        long next = 0;
        while (seen < ACTIVITY_LIMIT) {
            List<StoredBlock> page = ledger.chain().blocks(next, 200);
            if (page.isEmpty()) {
                return;
            }
            for (StoredBlock b : page) {
                next = b.storedNumber() + 1;
                for (StoredTransaction row : b.rows()) {
                    seen++;
                    if (row.tx().isPresent()) {
                        visitor.visit(row.logIndex(), row.tx().get());
                    }
                }
            }
        }
    }

    private void scanAccesses(AccessVisitor visitor) {
        scan((index, tx) -> {
            if (ACCESS_CONTRACT.equals(tx.body().contract()) && "record".equals(tx.body().function())) {
                try {
                    visitor.visit(index, tx, tx.body().args());
                } catch (RuntimeException e) {
                    // an access entry without the expected arguments is not counted; the verifier reports it
                }
            }
        });
    }

    /** The contract of access entries (one per release attempt, allowed or refused). */
    static final String ACCESS_CONTRACT = "access";

    private static void count(Map<String, long[]> counts, LocalDate day, String who, String what) {
        counts.computeIfAbsent(day + "\u0000" + who + "\u0000" + what, k -> new long[1])[0]++;
    }

    private static List<DailyActivity> tally(Map<String, long[]> counts) {
        List<DailyActivity> out = new ArrayList<>(counts.size());
        counts.forEach((k, v) -> {
            String[] p = k.split("\u0000", 3);
            out.add(new DailyActivity(LocalDate.parse(p[0]), p[1], p[2], v[0]));
        });
        return out;
    }

    /** The log index of the entry that made {@code memberId} a ledger member, if it is one. */
    private Optional<Long> membershipEntry(String memberId) {
        return ledger.state(MemberDirectory.NS_MEMBER, memberId).map(v -> v.version() - 1);
    }

    /** Whether {@code memberId} is registered and whether revoked on the ledger. */
    @RolesAllowed({"hospital-admin", "kgc-operator", "auditor"})
    public boolean[] membership(String memberId) {
        return memberState(memberId);
    }

    /** Whether the caller is registered and whether revoked on the ledger. */
    @RolesAllowed("doctor")
    public boolean[] ownMembership() {
        return memberState(caller());
    }

    private boolean[] memberState(String memberId) {
        return new boolean[] {ledger.state(MemberDirectory.NS_MEMBER, memberId).isPresent(),
                ledger.isRevoked(memberId)};
    }

    /**
     * Entry {@code logIndex} with its inclusion proof in the tree of {@code treeSize} entries (a
     * size the caller holds a signed tree head for).
     */
    private EntryProof entryProof(long logIndex, long treeSize) throws DomainException {
        long size = ledger.size();
        if (treeSize <= 0 || treeSize > size) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_TREE_SIZE",
                    "tree size must be between 1 and " + size);
        }
        if (logIndex < 0 || logIndex >= treeSize) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_LOG_INDEX",
                    "log index must be below the tree size");
        }
        Transaction tx = ledger.transaction(logIndex).flatMap(StoredTransaction::tx).orElseThrow(() ->
                new DomainException(DomainException.Kind.NOT_FOUND, "NO_SUCH_ENTRY", "no readable entry " + logIndex));
        InclusionProof proof = ledger.inclusionProof(logIndex, treeSize);
        return new EntryProof(logIndex, treeSize, LogLeaf.data(logIndex, tx),
                proof.path().stream().map(d -> d.bytes()).toList(), tx.encode());
    }

    /** The node's view of itself: entries, blocks, the newest tree head. */
    @RolesAllowed({"hospital-admin", "auditor"})
    public LedgerHealth health() {
        Optional<SignedTreeHead> sth = ledger.latestTreeHead();
        return new LedgerHealth(ledger.size(), ledger.head().map(h -> h.number() + 1).orElse(0L),
                sth.map(h -> Instant.ofEpochMilli(h.timestamp())).orElse(null),
                sth.map(h -> h.rootHash().hex()).orElse(""), sth.map(this::signatureValid).orElse(true));
    }
}
