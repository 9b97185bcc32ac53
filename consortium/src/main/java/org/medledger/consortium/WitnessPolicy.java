package org.medledger.consortium;

import java.util.HashSet;
import java.util.Set;

import org.medledger.ledger.LedgerException;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.merkle.InclusionProof;
import org.medledger.ledger.merkle.MerkleProofs;
import org.medledger.ledger.merkle.ProofException;

/**
 * When a tree head counts: signed by a hospital node (the block producer that cut it), and
 * co-signed over the same size and root by at least {@code quorum} distinct hospitals, each
 * signature valid under the hospital's certificate from the trust anchors, none of them a
 * witness this party has refused (split view, equivocation, failed audit). Used by nodes, the
 * consortium verifier and clients checking proofs.
 */
public final class WitnessPolicy {
    private final Consortium consortium;
    private final Set<String> refused;

    /** {@code refused}: witnesses this party no longer counts (live view, may grow). */
    public WitnessPolicy(Consortium consortium, Set<String> refused) {
        this.consortium = consortium;
        this.refused = refused;
    }

    public WitnessPolicy(Consortium consortium) {
        this(consortium, Set.of());
    }

    /** Returns the number of counted witnesses, or throws {@link ConsortiumException} ({@code NO_QUORUM}, {@code BAD_SIGNATURE}, ...). */
    public int check(WitnessedTreeHead w) {
        SignedTreeHead h = w.head();
        MemberCertificate producer = consortium.hospital(h.signer(), h.timestamp());
        if (!h.verify(producer.publicKey(), consortium.scheme())) {
            throw new ConsortiumException(ConsortiumReason.BAD_SIGNATURE, "tree head not signed by " + h.signer());
        }
        Set<String> counted = new HashSet<>();
        for (Cosignature c : w.cosignatures()) {
            if (c.treeSize() != h.treeSize() || !c.root().equals(h.rootHash())) {
                continue; // a co-signature of another head says nothing about this one
            }
            if (!consortium.isHospital(c.witness()) || refused.contains(c.witness()) || counted.contains(c.witness())) {
                continue;
            }
            MemberCertificate cert;
            try {
                cert = consortium.hospital(c.witness(), c.timestamp());
            } catch (ConsortiumException | LedgerException e) {
                continue;
            }
            if (c.verify(cert.publicKey(), consortium.scheme())) {
                counted.add(c.witness());
            }
        }
        if (counted.size() < consortium.quorum()) {
            throw new ConsortiumException(ConsortiumReason.NO_QUORUM, counted.size() + " valid hospital co-signatures for size "
                    + h.treeSize() + ", quorum " + consortium.quorum());
        }
        return counted.size();
    }

    /**
     * The client's proof check: {@code leafHash} at {@code proof.leafIndex()} is in the log whose
     * witnessed head is {@code w}; the tree size comes from the witnessed head, never from the proof.
     */
    public void verifyInclusion(Digest leafHash, InclusionProof proof, WitnessedTreeHead w) throws ProofException {
        check(w);
        MerkleProofs.verifyInclusion(leafHash, proof, w.treeSize(), w.head().rootHash());
    }
}
