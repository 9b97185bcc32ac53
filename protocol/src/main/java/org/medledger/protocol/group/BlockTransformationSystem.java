package org.medledger.protocol.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.Freshness;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.VerificationKey;

/**
 * The block transformation system BT (seed 004 §III-C): verifies an upload's outer
 * signature and timestamp (plus the replay cache of PROTOCOLS.md §0), turns it into a block
 * chained to the previous one and returns the header. This in-memory chain is the protocol
 * model; the ledger module provides the persistent, endorsed ledger.
 */
public final class BlockTransformationSystem {

    /** Cap on nonce search, so a misconfigured difficulty cannot hang the producer. */
    static final long MAX_NONCE = 1L << 24;

    private final Map<String, VerificationKey> producers;
    private final Map<String, ProducerRole> roles;
    private final GroupMembership groups;
    private final Freshness freshness;
    private final int difficulty;
    private final List<Block> chain = new ArrayList<>();

    /**
     * @param producers  the certified signing keys of HC, the doctors and the patients, by id
     * @param roles      each producer's role: only the healthcare center uploads EHRs, doctors EMRs, patients PHRs and APHRs
     * @param groups     group membership: only a group's members write blocks addressed to {@code group:<GID>}
     * @param difficulty leading zero bits of a block id (0 = no work, the default for a permissioned ledger)
     */
    public BlockTransformationSystem(Map<String, VerificationKey> producers, Map<String, ProducerRole> roles, GroupMembership groups,
                                     Freshness freshness, int difficulty) {
        this.producers = Map.copyOf(producers);
        this.roles = Map.copyOf(roles);
        this.groups = Objects.requireNonNull(groups, "group membership is required");
        this.freshness = Objects.requireNonNull(freshness, "freshness is required");
        if (difficulty < 0 || difficulty > 24) {
            throw new IllegalArgumentException("difficulty must be 0..24 bits");
        }
        this.difficulty = difficulty;
    }

    /** Accepts C_X: V(C), |T_BT − T_X| ≤ ΔT, first seen; appends a block; returns header_X. */
    public synchronized BlockHeader accept(UploadRecord c) throws ProtocolException {
        check(c);
        long number = chain.size();
        byte[] previous = chain.isEmpty() ? new byte[32] : chain.get(chain.size() - 1).blockId();
        long now = freshness.now();
        for (long nonce = 0; nonce < MAX_NONCE; nonce++) {
            byte[] id = Block.computeId(previous, number, now, c, nonce);
            if (Block.meetsDifficulty(id, difficulty)) {
                Block b = new Block(number, id, previous, nonce, now, c);
                chain.add(b);
                return b.header();
            }
        }
        throw new ProtocolException(Reason.INTERNAL, "no nonce found within the search bound");
    }

    /**
     * Every check of {@link #accept} without appending: a persistent block store (the server's)
     * checks here and appends to its own chain.
     */
    public void check(UploadRecord c) throws ProtocolException {
        Objects.requireNonNull(c, "upload is required");
        VerificationKey pk = producers.get(c.producer());
        if (pk == null) {
            throw new ProtocolException(Reason.UNKNOWN_PARTY, "unknown producer");
        }
        // (m_X, Sig_X, s_X, T_X, H(r_X)) = D_PK_X(C): verify the outer signature  (seed 004 §III-C)
        ContentId signedC = Ecdsa.verify(pk, c.outerSigned(), c.outer());
        // Sig_X must also verify, so the block never carries a record the producer did not sign
        Ecdsa.verify(pk, c.innerSigned(), c.signature());
        requireAuthorized(c);
        // T_BT − T_X ≤ ΔT  (seed 004 §III-C), and not a replay
        freshness.requireFirstSeen("GROUP-AGG/BT/" + c.kind(), signedC, c.timestamp());
    }

    /**
     * The write is the producer's to make: its role produces this kind (as in the ledger's
     * contract), the receiver has the kind's form, and a group's blocks come from its members.
     */
    private void requireAuthorized(UploadRecord c) throws ProtocolException {
        if (roles.get(c.producer()) != c.kind().producerRole()) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "this producer does not make " + c.kind() + " records");
        }
        String prefix = c.kind().receiverPrefix();
        if (!c.receiver().startsWith(prefix) || c.receiver().length() == prefix.length()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, c.kind() + " records are addressed to " + prefix + "<id>");
        }
        if (prefix.equals("group:") && !groups.isMember(c.receiver().substring(prefix.length()), c.producer())) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "only the group's members write its index");
        }
    }

    /** The producer's check that header_X is on the chain (seed 004 §III-C). */
    public synchronized boolean contains(BlockHeader header) {
        return header.number() >= 0 && header.number() < chain.size()
                && chain.get((int) header.number()).header().equals(header);
    }

    public synchronized Optional<Block> block(byte[] blockId) {
        return chain.stream().filter(b -> Arrays.equals(b.blockId(), blockId)).findFirst();
    }

    /** The latest block of {@code kind} for {@code receiver}. */
    public synchronized Optional<Block> latest(RecordKind kind, String receiver) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            UploadRecord r = chain.get(i).record();
            if (r.kind() == kind && r.receiver().equals(receiver)) {
                return Optional.of(chain.get(i));
            }
        }
        return Optional.empty();
    }

    /** The APHR search system (seed 004 §III-E): every block addressed to {@code group:<GID>}. */
    public synchronized List<Block> blocksFor(String receiver) {
        List<Block> out = new ArrayList<>();
        for (Block b : chain) {
            if (b.record().receiver().equals(receiver)) {
                out.add(b);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Re-verifies ids, links and difficulty of the whole chain. */
    public synchronized boolean verifyChain() {
        byte[] previous = new byte[32];
        for (Block b : chain) {
            if (!Arrays.equals(previous, b.previousId()) || !b.isWellFormed(difficulty)) {
                return false;
            }
            previous = b.blockId();
        }
        return true;
    }
}
