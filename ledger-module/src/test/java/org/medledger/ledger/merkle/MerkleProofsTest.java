package org.medledger.ledger.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medledger.ledger.codec.Digest;

class MerkleProofsTest {
    private static List<Digest> leaves(int n) {
        List<Digest> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(MerkleHash.leaf(("leaf " + i).getBytes()));
        }
        return l;
    }

    private static MerkleTree tree(List<Digest> leaves) {
        MerkleTree t = new MerkleTree();
        leaves.forEach(t::append);
        return t;
    }

    /** RFC 6962 §2.1 MTH, written the naive recursive way, as the reference. */
    private static Digest mth(List<Digest> d) {
        if (d.isEmpty()) {
            return MerkleHash.EMPTY_ROOT;
        }
        if (d.size() == 1) {
            return d.get(0);
        }
        int k = Integer.highestOneBit(d.size() - 1);
        return MerkleHash.node(mth(d.subList(0, k)), mth(d.subList(k, d.size())));
    }

    @Test
    void emptyAndSmallTreesMatchRfc6962() {
        // MTH({}) = SHA-256("") (RFC 6962 §2.1).
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", new MerkleTree().root().hex());
        // Leaf hash = SHA-256(0x00 || d): for the empty leaf, the well-known CT value.
        assertEquals("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", MerkleHash.leaf(new byte[0]).hex());
        assertEquals(HexFormat.of().formatHex(Digest.sha256(new byte[0]).bytes()), MerkleHash.EMPTY_ROOT.hex());
    }

    @Test
    void rootsOfEveryPastSizeMatchTheReferenceAndTheAccumulator() {
        List<Digest> l = leaves(300);
        MerkleTree t = tree(l);
        MerkleAccumulator acc = new MerkleAccumulator();
        for (int n = 0; n <= 300; n++) {
            assertEquals(mth(l.subList(0, n)), t.rootAt(n), "size " + n);
            assertEquals(mth(l.subList(0, n)), acc.root(), "accumulator size " + n);
            if (n < 300) {
                acc.append(l.get(n));
            }
        }
    }

    @Test
    void inclusionProofOfEveryIndexOfATenThousandEntryLogVerifies() throws ProofException {
        List<Digest> l = leaves(10_000);
        MerkleTree t = tree(l);
        Digest root = t.root();
        assertEquals(mth(l), root);
        for (int i = 0; i < l.size(); i++) {
            MerkleProofs.verifyInclusion(l.get(i), t.inclusionProof(i, l.size()), l.size(), root);
        }
    }

    @Test
    void consistencyProofOfEveryPairUpToSize256Verifies() throws ProofException {
        List<Digest> l = leaves(256);
        MerkleTree t = tree(l);
        for (int n = 1; n <= 256; n++) {
            Digest rn = t.rootAt(n);
            for (int m = 0; m <= n; m++) {
                MerkleProofs.verifyConsistency(t.consistencyProof(m, n), m, t.rootAt(m), n, rn);
            }
        }
    }

    @Test
    void inclusionProofsOfPastSizesVerifyAgainstPastRoots() throws ProofException {
        List<Digest> l = leaves(130);
        MerkleTree t = tree(l);
        for (int n = 1; n <= 130; n++) {
            for (int i = 0; i < n; i++) {
                MerkleProofs.verifyInclusion(l.get(i), t.inclusionProof(i, n), n, t.rootAt(n));
            }
        }
    }

    /** Every single-step mutation of a valid path: flip a bit, drop, insert an extra element. */
    private static List<List<Digest>> mutations(List<Digest> path) {
        List<List<Digest>> out = new ArrayList<>();
        Digest extra = MerkleHash.leaf("extra".getBytes());
        for (int i = 0; i < path.size(); i++) {
            List<Digest> flipped = new ArrayList<>(path);
            byte[] b = path.get(i).bytes();
            b[i % 32] ^= 1;
            flipped.set(i, Digest.of(b));
            out.add(flipped);
            List<Digest> dropped = new ArrayList<>(path);
            dropped.remove(i);
            out.add(dropped);
        }
        for (int i = 0; i <= path.size(); i++) {
            List<Digest> longer = new ArrayList<>(path);
            longer.add(i, extra);
            out.add(longer);
        }
        return out;
    }

    private static void rejected(Object unused, ThrowingRunnable r) {
        assertThrows(ProofException.class, r::run);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws ProofException;
    }

    @Test
    void everySingleMutationOfAnInclusionProofIsRejected() {
        List<Digest> l = leaves(70);
        MerkleTree t = tree(l);
        int checked = 0;
        for (int n = 1; n <= 70; n++) {
            Digest root = t.rootAt(n);
            for (int i = 0; i < n; i++) {
                InclusionProof p = t.inclusionProof(i, n);
                Digest leaf = l.get(i);
                long size = n;
                for (List<Digest> path : mutations(p.path())) {
                    rejected(null, () -> MerkleProofs.verifyInclusion(leaf, new InclusionProof(p.leafIndex(), size, path), size, root));
                    checked++;
                }
                // Wrong size (the tree head's size is authoritative) or wrong index.
                rejected(null, () -> MerkleProofs.verifyInclusion(leaf, new InclusionProof(p.leafIndex(), size + 1, p.path()), size, root));
                rejected(null, () -> MerkleProofs.verifyInclusion(leaf, new InclusionProof(p.leafIndex(), size - 1, p.path()), size, root));
                rejected(null, () -> MerkleProofs.verifyInclusion(leaf, new InclusionProof(p.leafIndex() + 1, size, p.path()), size, root));
                if (i > 0) {
                    rejected(null, () -> MerkleProofs.verifyInclusion(leaf, new InclusionProof(p.leafIndex() - 1, size, p.path()), size, root));
                }
                rejected(null, () -> MerkleProofs.verifyInclusion(MerkleHash.leaf("other".getBytes()), p, size, root));
                checked += 4;
            }
        }
        assertEquals(true, checked > 20_000);
    }

    @Test
    void everySingleMutationOfAConsistencyProofIsRejected() {
        List<Digest> l = leaves(70);
        MerkleTree t = tree(l);
        for (int n = 1; n <= 70; n++) {
            Digest rn = t.rootAt(n);
            for (int m = 1; m < n; m++) {
                ConsistencyProof p = t.consistencyProof(m, n);
                Digest rm = t.rootAt(m);
                long first = m;
                long second = n;
                for (List<Digest> path : mutations(p.path())) {
                    rejected(null, () -> MerkleProofs.verifyConsistency(new ConsistencyProof(first, second, path), first, rm, second, rn));
                }
                // Wrong sizes against the tree heads' sizes.
                rejected(null, () -> MerkleProofs.verifyConsistency(new ConsistencyProof(first + 1, second, p.path()), first, rm, second, rn));
                rejected(null, () -> MerkleProofs.verifyConsistency(new ConsistencyProof(first - 1, second, p.path()), first, rm, second, rn));
                rejected(null, () -> MerkleProofs.verifyConsistency(new ConsistencyProof(first, second + 1, p.path()), first, rm, second, rn));
                rejected(null, () -> MerkleProofs.verifyConsistency(new ConsistencyProof(first, second - 1, p.path()), first, rm, second, rn));
                rejected(null, () -> MerkleProofs.verifyConsistency(p, first, rm, second + 1, rn));
                rejected(null, () -> MerkleProofs.verifyConsistency(p, first, rn, second, rn));
                rejected(null, () -> MerkleProofs.verifyConsistency(p, first, rm, second, rm));
            }
            // Same sizes: only an empty proof between equal roots is accepted.
            long size = n;
            rejected(null, () -> MerkleProofs.verifyConsistency(new ConsistencyProof(size, size, List.of(rn)), size, rn, size, rn));
        }
    }

    @Test
    void mismatchesAreTyped() {
        List<Digest> l = leaves(10);
        MerkleTree t = tree(l);
        InclusionProof p = t.inclusionProof(3, 10);
        assertEquals(ProofError.ROOT_MISMATCH, assertThrows(ProofException.class,
                () -> MerkleProofs.verifyInclusion(l.get(4), p, 10, t.root())).error());
        assertEquals(ProofError.WRONG_PATH_LENGTH, assertThrows(ProofException.class,
                () -> MerkleProofs.verifyInclusion(l.get(3), new InclusionProof(3, 10, p.path().subList(1, p.path().size())), 10, t.root())).error());
        assertEquals(ProofError.BAD_SIZES, assertThrows(ProofException.class,
                () -> MerkleProofs.verifyInclusion(l.get(3), new InclusionProof(10, 10, p.path()), 10, t.root())).error());
        assertEquals(ProofError.SIZE_MISMATCH, assertThrows(ProofException.class,
                () -> MerkleProofs.verifyInclusion(l.get(3), p, 9, t.root())).error());
        ConsistencyProof c = t.consistencyProof(3, 10);
        assertEquals(ProofError.OLD_ROOT_MISMATCH, assertThrows(ProofException.class,
                () -> MerkleProofs.verifyConsistency(c, 3, t.rootAt(4), 10, t.root())).error());
    }
}
