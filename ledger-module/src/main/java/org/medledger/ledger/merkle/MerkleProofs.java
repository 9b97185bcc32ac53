package org.medledger.ledger.merkle;

import java.util.List;

import org.medledger.ledger.codec.Digest;

/**
 * Inclusion and consistency verification (RFC 9162 §2.1.3.2 and §2.1.4.2) as pure functions:
 * no storage, no state, a typed {@link ProofException} on any mismatch.
 */
public final class MerkleProofs {
    private MerkleProofs() {
    }

    /**
     * Verifies that {@code leafHash} is leaf {@code proof.leafIndex()} of the trusted tree
     * ({@code treeSize}, {@code root}), e.g. taken from a signed tree head.
     */
    public static void verifyInclusion(Digest leafHash, InclusionProof proof, long treeSize, Digest root) throws ProofException {
        if (proof.treeSize() != treeSize) {
            throw new ProofException(ProofError.SIZE_MISMATCH, "proof is for size " + proof.treeSize() + ", tree head for " + treeSize);
        }
        Digest computed = rootFromInclusion(leafHash, proof);
        if (!computed.equals(root)) {
            throw new ProofException(ProofError.ROOT_MISMATCH, "inclusion proof leads to another root");
        }
    }

    /** The root an inclusion proof leads to; checks sizes and path length. */
    public static Digest rootFromInclusion(Digest leafHash, InclusionProof proof) throws ProofException {
        long index = proof.leafIndex();
        long size = proof.treeSize();
        if (index < 0 || size <= 0 || index >= size) {
            throw new ProofException(ProofError.BAD_SIZES, "leaf index " + index + " not in tree of size " + size);
        }
        List<Digest> path = proof.path();
        if (path.size() != inclusionLength(index, size)) {
            throw new ProofException(ProofError.WRONG_PATH_LENGTH, "expected " + inclusionLength(index, size) + " hashes, got " + path.size());
        }
        long fn = index;
        long sn = size - 1;
        Digest r = leafHash;
        for (Digest p : path) {
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHash.node(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = MerkleHash.node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new ProofException(ProofError.WRONG_PATH_LENGTH, "path too short");
        }
        return r;
    }

    /** Verifies that the trusted tree ({@code secondSize}, {@code secondRoot}) extends ({@code firstSize}, {@code firstRoot}). */
    public static void verifyConsistency(ConsistencyProof proof, long firstSize, Digest firstRoot, long secondSize, Digest secondRoot)
            throws ProofException {
        if (proof.firstSize() != firstSize || proof.secondSize() != secondSize) {
            throw new ProofException(ProofError.SIZE_MISMATCH, "proof is for sizes " + proof.firstSize() + ", " + proof.secondSize());
        }
        long m = proof.firstSize();
        long n = proof.secondSize();
        List<Digest> path = proof.path();
        if (m < 0 || n < m) {
            throw new ProofException(ProofError.BAD_SIZES, "sizes " + m + " > " + n);
        }
        if (m == n || m == 0) {
            if (!path.isEmpty()) {
                throw new ProofException(ProofError.WRONG_PATH_LENGTH, "no hashes expected");
            }
            if (m == 0 && !firstRoot.equals(MerkleHash.EMPTY_ROOT)) {
                throw new ProofException(ProofError.OLD_ROOT_MISMATCH, "the empty tree has the empty root");
            }
            if (m == n && !firstRoot.equals(secondRoot)) {
                throw new ProofException(ProofError.ROOT_MISMATCH, "equal sizes, different roots");
            }
            return;
        }
        if (path.size() != consistencyLength(m, n)) {
            throw new ProofException(ProofError.WRONG_PATH_LENGTH, "expected " + consistencyLength(m, n) + " hashes, got " + path.size());
        }
        int i = 0;
        Digest start;
        if (Long.bitCount(m) == 1) {
            start = firstRoot; // first tree is a complete subtree: its root is the seed
        } else {
            start = path.get(i++);
        }
        long fn = m - 1;
        long sn = n - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        Digest fr = start;
        Digest sr = start;
        for (; i < path.size(); i++) {
            Digest c = path.get(i);
            if (sn == 0) {
                throw new ProofException(ProofError.WRONG_PATH_LENGTH, "path too long");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHash.node(c, fr);
                sr = MerkleHash.node(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = MerkleHash.node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new ProofException(ProofError.WRONG_PATH_LENGTH, "path too short");
        }
        if (!fr.equals(firstRoot)) {
            throw new ProofException(ProofError.OLD_ROOT_MISMATCH, "consistency proof does not lead to the first root");
        }
        if (!sr.equals(secondRoot)) {
            throw new ProofException(ProofError.ROOT_MISMATCH, "consistency proof does not lead to the second root");
        }
    }

    /** Number of hashes in an inclusion proof for {@code index} in a tree of {@code size}. */
    static int inclusionLength(long index, long size) {
        if (size <= 1) {
            return 0;
        }
        long k = Long.highestOneBit(size - 1);
        return 1 + (index < k ? inclusionLength(index, k) : inclusionLength(index - k, size - k));
    }

    /** Number of hashes in a consistency proof from {@code m} to {@code n}, 0 < m < n. */
    static int consistencyLength(long m, long n) {
        return subproofLength(m, n, true);
    }

    private static int subproofLength(long m, long n, boolean complete) {
        if (m == n) {
            return complete ? 0 : 1;
        }
        long k = Long.highestOneBit(n - 1);
        return 1 + (m <= k ? subproofLength(m, k, complete) : subproofLength(m - k, n - k, false));
    }
}
