package org.medledger.consortium;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import java.util.logging.Logger;

import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.MemberCertificate;

/**
 * A node's record of what the hospitals have co-signed. Every co-signature received is checked
 * (known hospital, valid signature) and compared with this node's own log: one that names a
 * root this node does not have at that size is a split view; two by the same hospital for one
 * size are an equivocation; a producer's tree head that differs from this node's log is one
 * too. Each of these refuses the signer as a witness and keeps the evidence. The latest
 * witnessed head is the largest size with a quorum of co-signatures from non-refused hospitals.
 */
public final class WitnessBook {
    private static final Logger LOG = Logger.getLogger(WitnessBook.class.getName());
    /** Sizes kept (the newest); older ones are dropped once a newer size is witnessed. */
    private static final int KEEP = 256;

    private final Consortium consortium;
    private final String self;
    /** Own root at a size, or empty when this node's log is shorter. */
    private final LongFunction<Optional<Digest>> ownRoot;
    private final TreeMap<Long, Map<String, Cosignature>> bySize = new TreeMap<>();
    private final Map<String, Evidence> refused = new ConcurrentHashMap<>();
    private final Set<String> refusedView = Collections.unmodifiableSet(refused.keySet());

    public WitnessBook(Consortium consortium, String self, LongFunction<Optional<Digest>> ownRoot) {
        this.consortium = consortium;
        this.self = self;
        this.ownRoot = ownRoot;
    }

    /** Hospitals this node no longer counts as witnesses (live view). */
    public Set<String> refused() {
        return refusedView;
    }

    public Map<String, Evidence> evidence() {
        return Map.copyOf(refused);
    }

    public WitnessPolicy policy() {
        return new WitnessPolicy(consortium, refusedView);
    }

    /**
     * Takes a co-signature from the wire. Throws {@link ConsortiumException} for an unknown node
     * or a bad signature (nothing recorded), and for a split view or equivocation (the signer is
     * refused and the evidence kept).
     */
    public void accept(Cosignature c) {
        MemberCertificate cert;
        try {
            cert = consortium.hospital(c.witness(), c.timestamp());
        } catch (ConsortiumException e) {
            LOG.warning(() -> self + " refused a co-signature: " + e.getMessage());
            throw e;
        }
        if (!c.verify(cert.publicKey(), consortium.scheme())) {
            LOG.warning(() -> self + " refused a co-signature of " + c.witness() + ": bad signature");
            throw new ConsortiumException(ConsortiumReason.BAD_SIGNATURE, "co-signature of " + c.witness() + " does not verify");
        }
        synchronized (this) {
            Cosignature earlier = bySize.getOrDefault(c.treeSize(), Map.of()).get(c.witness());
            if (earlier != null && !earlier.root().equals(c.root())) {
                throw refuse(new Evidence(c.witness(), ConsortiumReason.EQUIVOCATION, "two co-signed roots for size " + c.treeSize(),
                        List.of(earlier, c), List.of()));
            }
            Optional<Digest> mine = ownRoot.apply(c.treeSize());
            if (mine.isPresent() && !mine.get().equals(c.root())) {
                throw refuse(new Evidence(c.witness(), ConsortiumReason.SPLIT_VIEW, "co-signed a root for size " + c.treeSize()
                        + " that differs from this node's log", List.of(c), List.of()));
            }
            bySize.computeIfAbsent(c.treeSize(), k -> new HashMap<>()).put(c.witness(), c);
            prune();
        }
    }

    /**
     * Checks a producer-signed tree head (from a block, a peer or a client): it must be signed by a
     * hospital and agree with this node's log at that size; a differing one refuses the producer.
     */
    public void observe(SignedTreeHead h) {
        MemberCertificate cert = consortium.hospital(h.signer(), h.timestamp());
        if (!h.verify(cert.publicKey(), consortium.scheme())) {
            throw new ConsortiumException(ConsortiumReason.BAD_SIGNATURE, "tree head of " + h.signer() + " does not verify");
        }
        Optional<Digest> mine = ownRoot.apply(h.treeSize());
        if (mine.isPresent() && !mine.get().equals(h.rootHash())) {
            synchronized (this) {
                throw refuse(new Evidence(h.signer(), ConsortiumReason.EQUIVOCATION, "signed a tree head for size " + h.treeSize()
                        + " that differs from the log it produced", List.of(), List.of(h)));
            }
        }
    }

    /** Re-checks co-signatures of sizes this node had not reached yet, now that its log has {@code size} entries. */
    public void caughtUpTo(long size) {
        List<Cosignature> check = new ArrayList<>();
        synchronized (this) {
            bySize.headMap(size, true).values().forEach(m -> check.addAll(m.values()));
        }
        for (Cosignature c : check) {
            Optional<Digest> mine = ownRoot.apply(c.treeSize());
            if (mine.isPresent() && !mine.get().equals(c.root())) {
                synchronized (this) {
                    bySize.getOrDefault(c.treeSize(), new HashMap<>()).remove(c.witness());
                    if (!refused.containsKey(c.witness())) {
                        refuse(new Evidence(c.witness(), ConsortiumReason.SPLIT_VIEW, "co-signed a root for size " + c.treeSize()
                                + " that differs from this node's log", List.of(c), List.of()));
                    }
                }
            }
        }
    }

    /** Refuses {@code node} as a witness with {@code evidence}; its co-signatures stop counting. */
    public synchronized ConsortiumException refuse(Evidence evidence) {
        refused.putIfAbsent(evidence.node(), evidence);
        LOG.severe(() -> self + " refuses " + evidence.node() + " as a witness: " + evidence.reason() + " " + evidence.detail());
        return new ConsortiumException(evidence.reason(), evidence.node() + ": " + evidence.detail());
    }

    /** This node's co-signature for {@code size}, if it made one. */
    public synchronized Optional<Cosignature> own(long size) {
        return Optional.ofNullable(bySize.getOrDefault(size, Map.of()).get(self));
    }

    /** Co-signatures known for {@code size}. */
    public synchronized List<Cosignature> cosignatures(long size) {
        return List.copyOf(bySize.getOrDefault(size, Map.of()).values());
    }

    /** The largest size with a quorum of non-refused co-signatures agreeing with this node's log. */
    public synchronized Optional<Long> latestWitnessedSize() {
        for (Map.Entry<Long, Map<String, Cosignature>> e : bySize.descendingMap().entrySet()) {
            long counted = e.getValue().keySet().stream().filter(w -> !refused.containsKey(w)).count();
            if (counted >= consortium.quorum() && ownRoot.apply(e.getKey()).isPresent()) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    private void prune() {
        while (bySize.size() > KEEP) {
            bySize.pollFirstEntry();
        }
    }
}
