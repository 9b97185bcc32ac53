package org.medledger.ledger.merkle;

import java.util.ArrayList;
import java.util.List;

import org.medledger.ledger.codec.Digest;

/**
 * Streaming RFC 6962 root: keeps only the roots of the complete subtrees on the right edge
 * (at most 64), so a verifier can recompute the root of any prefix in O(log n) memory.
 */
public final class MerkleAccumulator {
    private final List<Digest> stack = new ArrayList<>(); // stack[i] covers 2^heights[i] leaves
    private final List<Integer> heights = new ArrayList<>();
    private long size;

    public void append(Digest leafHash) {
        Digest h = leafHash;
        int height = 0;
        while (!heights.isEmpty() && heights.get(heights.size() - 1) == height) {
            h = MerkleHash.node(stack.remove(stack.size() - 1), h);
            heights.remove(heights.size() - 1);
            height++;
        }
        stack.add(h);
        heights.add(height);
        size++;
    }

    public long size() {
        return size;
    }

    /** MTH of everything appended so far. */
    public Digest root() {
        if (stack.isEmpty()) {
            return MerkleHash.EMPTY_ROOT;
        }
        Digest r = stack.get(stack.size() - 1);
        for (int i = stack.size() - 2; i >= 0; i--) {
            r = MerkleHash.node(stack.get(i), r);
        }
        return r;
    }

    /** MTH of a list of leaf hashes. */
    public static Digest rootOf(List<Digest> leafHashes) {
        MerkleAccumulator a = new MerkleAccumulator();
        leafHashes.forEach(a::append);
        return a.root();
    }
}
