package org.medledger.ledger.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medledger.ledger.codec.Digest;

/**
 * Published known-answer vectors for RFC 6962 Merkle trees, independent of this implementation:
 * the eight-leaf test tree of Certificate Transparency, as published in
 * github.com/transparency-dev/merkle (formerly google/trillian and google/certificate-transparency):
 * leaf inputs, subtree and root hashes from {@code testonly/constants.go}; inclusion and
 * consistency proofs from {@code proof/verify_test.go} ({@code inclusionProofs},
 * {@code consistencyProofs}; the inclusion table there numbers leaves from 1).
 */
class Rfc6962VectorsTest {
    private static final String[] LEAF_INPUTS = {
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};

    /** Leaf hashes (level 0 of {@code NodeHashes()}). */
    private static final String[] LEAF_HASHES = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"};

    /** Interior nodes (levels 1 to 3 of {@code NodeHashes()}): two-leaf pairs, four-leaf halves, the full tree. */
    private static final String[][] NODES = {
        {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"},
        {"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"},
        {"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"}};

    /** {@code RootHashes()}: the root of the tree of the first n leaves, n = 0..8. */
    private static final String[] ROOTS = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    private record Inclusion(int index, int size, String... path) {
    }

    private record Consistency(int first, int second, String... path) {
    }

    private static final List<Inclusion> INCLUSION = List.of(
            new Inclusion(0, 1),
            new Inclusion(0, 8,
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            new Inclusion(5, 8,
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            new Inclusion(2, 3,
                    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
            new Inclusion(1, 5,
                    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"));

    private static final List<Consistency> CONSISTENCY = List.of(
            new Consistency(1, 1),
            new Consistency(1, 8,
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            new Consistency(6, 8,
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            new Consistency(2, 5,
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            new Consistency(6, 7,
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"));

    private static Digest d(String hex) {
        return Digest.of(HexFormat.of().parseHex(hex));
    }

    private static List<Digest> ds(String... hex) {
        List<Digest> out = new ArrayList<>();
        for (String h : hex) {
            out.add(d(h));
        }
        return out;
    }

    private static MerkleTree tree() {
        MerkleTree t = new MerkleTree();
        for (String in : LEAF_INPUTS) {
            t.append(MerkleHash.leaf(HexFormat.of().parseHex(in)));
        }
        return t;
    }

    @Test
    void leafAndNodeHashesMatchThePublishedValues() {
        for (int i = 0; i < LEAF_INPUTS.length; i++) {
            assertEquals(LEAF_HASHES[i], MerkleHash.leaf(HexFormat.of().parseHex(LEAF_INPUTS[i])).hex(), "leaf " + i);
        }
        String[] below = LEAF_HASHES;
        for (String[] level : NODES) {
            for (int i = 0; i < level.length; i++) {
                assertEquals(level[i], MerkleHash.node(d(below[2 * i]), d(below[2 * i + 1])).hex(), "node " + i);
            }
            below = level;
        }
    }

    @Test
    void rootsOfEverySizeMatchThePublishedRoots() {
        MerkleTree t = tree();
        MerkleAccumulator acc = new MerkleAccumulator();
        assertEquals(ROOTS[0], MerkleHash.EMPTY_ROOT.hex());
        for (int n = 0; n <= 8; n++) {
            assertEquals(ROOTS[n], t.rootAt(n).hex(), "tree, size " + n);
            assertEquals(ROOTS[n], acc.root().hex(), "accumulator, size " + n);
            assertEquals(ROOTS[n], MerkleAccumulator.rootOf(ds(java.util.Arrays.copyOf(LEAF_HASHES, n))).hex(), "rootOf, size " + n);
            if (n < 8) {
                acc.append(d(LEAF_HASHES[n]));
            }
        }
    }

    @Test
    void inclusionProofsAreThePublishedOnesAndVerify() throws ProofException {
        MerkleTree t = tree();
        for (Inclusion v : INCLUSION) {
            InclusionProof p = t.inclusionProof(v.index(), v.size());
            assertEquals(ds(v.path()), p.path(), "proof of " + v.index() + " in " + v.size());
            MerkleProofs.verifyInclusion(d(LEAF_HASHES[v.index()]), new InclusionProof(v.index(), v.size(), ds(v.path())),
                    v.size(), d(ROOTS[v.size()]));
            // The published proof does not prove another leaf, nor the leaf against another root.
            if (v.size() > 1) {
                int other = (v.index() + 1) % v.size();
                assertThrows(ProofException.class, () -> MerkleProofs.verifyInclusion(d(LEAF_HASHES[other]),
                        new InclusionProof(v.index(), v.size(), ds(v.path())), v.size(), d(ROOTS[v.size()])));
                assertThrows(ProofException.class, () -> MerkleProofs.verifyInclusion(d(LEAF_HASHES[v.index()]),
                        new InclusionProof(v.index(), v.size(), ds(v.path())), v.size(), d(ROOTS[v.size() - 1])));
            }
        }
    }

    @Test
    void consistencyProofsAreThePublishedOnesAndVerify() throws ProofException {
        MerkleTree t = tree();
        for (Consistency v : CONSISTENCY) {
            ConsistencyProof p = t.consistencyProof(v.first(), v.second());
            assertEquals(ds(v.path()), p.path(), "proof " + v.first() + " -> " + v.second());
            MerkleProofs.verifyConsistency(new ConsistencyProof(v.first(), v.second(), ds(v.path())), v.first(), d(ROOTS[v.first()]),
                    v.second(), d(ROOTS[v.second()]));
            if (v.first() < v.second()) {
                // Swapped roots and a root of the wrong size are refused.
                assertThrows(ProofException.class, () -> MerkleProofs.verifyConsistency(
                        new ConsistencyProof(v.first(), v.second(), ds(v.path())), v.first(), d(ROOTS[v.second()]), v.second(), d(ROOTS[v.first()])));
                assertThrows(ProofException.class, () -> MerkleProofs.verifyConsistency(
                        new ConsistencyProof(v.first(), v.second(), ds(v.path())), v.first(), d(ROOTS[v.first() - 1]), v.second(), d(ROOTS[v.second()])));
            }
        }
    }
}
