package org.medledger.ledger.merkle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.medledger.ledger.codec.Digest;

/**
 * In-memory RFC 6962 tree that keeps every complete aligned subtree hash, so roots of past
 * sizes, inclusion proofs and consistency proofs cost O(log² n) hash lookups and no leaf
 * re-hashing. About 64 bytes per leaf. Thread-safe: one appender, many readers.
 */
public final class MerkleTree {
    private static final int CHUNK_BITS = 15;
    private static final int CHUNK = 1 << CHUNK_BITS;

    /** levels.get(h) holds the hashes of the aligned complete subtrees of 2^h leaves, in order. */
    private final List<HashArray> levels = new ArrayList<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private long size;

    public long size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    public void append(Digest leafHash) {
        lock.writeLock().lock();
        try {
            long idx = size;
            Digest h = leafHash;
            int level = 0;
            level(0).set(idx, h);
            // Completing a left-right pair creates the parent subtree.
            while ((idx & 1) == 1) {
                Digest left = levels.get(level).get(idx - 1);
                h = MerkleHash.node(left, h);
                idx >>= 1;
                level++;
                level(level).set(idx, h);
            }
            size++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Drops leaves beyond {@code newSize} (used when a block commit fails before acknowledgement). */
    public void truncate(long newSize) {
        lock.writeLock().lock();
        try {
            if (newSize < 0 || newSize > size) {
                throw new IllegalArgumentException("cannot truncate to " + newSize);
            }
            size = newSize;
            for (int h = 0; h < levels.size(); h++) {
                levels.get(h).truncate(newSize >> h);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Digest leafHash(long index) {
        lock.readLock().lock();
        try {
            checkIndex(index, size);
            return levels.get(0).get(index);
        } finally {
            lock.readLock().unlock();
        }
    }

    public Digest root() {
        return rootAt(size());
    }

    /** MTH(D[0:treeSize]) for any past size. */
    public Digest rootAt(long treeSize) {
        lock.readLock().lock();
        try {
            if (treeSize < 0 || treeSize > size) {
                throw new IllegalArgumentException("tree size " + treeSize + " beyond " + size);
            }
            return treeSize == 0 ? MerkleHash.EMPTY_ROOT : range(0, treeSize);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** PATH(m, D[n]) of RFC 6962 §2.1.1, leaf-to-root order. */
    public InclusionProof inclusionProof(long leafIndex, long treeSize) {
        lock.readLock().lock();
        try {
            if (treeSize < 1 || treeSize > size) {
                throw new IllegalArgumentException("tree size " + treeSize + " not in [1, " + size + "]");
            }
            checkIndex(leafIndex, treeSize);
            List<Digest> path = new ArrayList<>();
            path(leafIndex, 0, treeSize, path);
            return new InclusionProof(leafIndex, treeSize, path);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** PROOF(m, D[n]) of RFC 6962 §2.1.2. */
    public ConsistencyProof consistencyProof(long firstSize, long secondSize) {
        lock.readLock().lock();
        try {
            if (firstSize < 0 || firstSize > secondSize || secondSize > size) {
                throw new IllegalArgumentException("bad sizes " + firstSize + ", " + secondSize);
            }
            List<Digest> path = new ArrayList<>();
            if (firstSize > 0 && firstSize < secondSize) {
                subproof(firstSize, 0, secondSize, true, path);
            }
            return new ConsistencyProof(firstSize, secondSize, path);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void path(long m, long start, long end, List<Digest> out) {
        long n = end - start;
        if (n <= 1) {
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m < k) {
            path(m, start, start + k, out);
            out.add(range(start + k, end));
        } else {
            path(m - k, start + k, end, out);
            out.add(range(start, start + k));
        }
    }

    private void subproof(long m, long start, long end, boolean complete, List<Digest> out) {
        long n = end - start;
        if (m == n) {
            if (!complete) {
                out.add(range(start, end));
            }
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m <= k) {
            subproof(m, start, start + k, complete, out);
            out.add(range(start + k, end));
        } else {
            subproof(m - k, start + k, end, false, out);
            out.add(range(start, start + k));
        }
    }

    /** MTH(D[start:end]) where start is aligned to the largest power of two not above end - start. */
    private Digest range(long start, long end) {
        long n = end - start;
        if (Long.bitCount(n) == 1 && (start & (n - 1)) == 0) {
            int h = Long.numberOfTrailingZeros(n);
            return levels.get(h).get(start >> h);
        }
        long k = Long.highestOneBit(n - 1);
        return MerkleHash.node(range(start, start + k), range(start + k, end));
    }

    private HashArray level(int h) {
        while (levels.size() <= h) {
            levels.add(new HashArray());
        }
        return levels.get(h);
    }

    private static void checkIndex(long index, long size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf index " + index + " not below " + size);
        }
    }

    /** Growable array of 32-byte hashes in 1 MiB chunks. */
    private static final class HashArray {
        private final List<byte[]> chunks = new ArrayList<>();
        private long count;

        void set(long i, Digest d) {
            if (i != count) {
                throw new IllegalStateException("hashes are appended in order");
            }
            int c = (int) (i >>> CHUNK_BITS);
            if (c == chunks.size()) {
                chunks.add(new byte[CHUNK * Digest.LENGTH]);
            }
            System.arraycopy(d.bytes(), 0, chunks.get(c), (int) (i & (CHUNK - 1)) * Digest.LENGTH, Digest.LENGTH);
            count++;
        }

        Digest get(long i) {
            if (i < 0 || i >= count) {
                throw new IllegalStateException("no hash at " + i);
            }
            byte[] chunk = chunks.get((int) (i >>> CHUNK_BITS));
            int off = (int) (i & (CHUNK - 1)) * Digest.LENGTH;
            return Digest.of(java.util.Arrays.copyOfRange(chunk, off, off + Digest.LENGTH));
        }

        void truncate(long n) {
            if (n < count) {
                count = n;
            }
        }
    }
}
