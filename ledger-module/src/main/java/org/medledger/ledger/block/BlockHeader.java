package org.medledger.ledger.block;

import java.util.Objects;

import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.Digest;

/**
 * A block header. {@link #hash()} is the block id of seed 004 (hash of previous id, content and
 * nonce); with {@code difficultyBits > 0} it must have that many leading zero bits.
 *
 * @param txRoot      RFC 6962 root over the leaf hashes of this block's transactions
 * @param firstLogIndex log index of the block's first transaction
 * @param logRoot     RFC 6962 root of the whole log after this block ({@code firstLogIndex + txCount} leaves)
 */
public record BlockHeader(long number, Digest previousHash, Digest txRoot, long firstLogIndex, int txCount,
                          Digest logRoot, long createdAt, long firstTxTime, long lastTxTime,
                          String producer, long nonce, int difficultyBits) {
    private static final String LABEL = "MEDLEDGER/block/v1";

    public BlockHeader {
        Objects.requireNonNull(previousHash);
        Objects.requireNonNull(txRoot);
        Objects.requireNonNull(logRoot);
        Objects.requireNonNull(producer);
    }

    public long logSize() {
        return firstLogIndex + txCount;
    }

    public byte[] encode() {
        return Canonical.label(LABEL).u64(number).digest(previousHash).digest(txRoot).u64(firstLogIndex).u64(txCount)
                .digest(logRoot).u64(createdAt).u64(firstTxTime).u64(lastTxTime).str(producer).u64(nonce)
                .u64(difficultyBits).toBytes();
    }

    public static BlockHeader decode(byte[] encoded) {
        org.medledger.ledger.codec.CanonicalReader r = new org.medledger.ledger.codec.CanonicalReader(encoded).expectLabel(LABEL);
        BlockHeader h = new BlockHeader(r.u64(), r.digest(), r.digest(), r.u64(), Math.toIntExact(r.u64()), r.digest(), r.u64(), r.u64(),
                r.u64(), r.str(), r.u64(), Math.toIntExact(r.u64()));
        r.expectEnd();
        return h;
    }

    public Digest hash() {
        return Digest.sha256(encode());
    }

    public BlockHeader withNonce(long n) {
        return new BlockHeader(number, previousHash, txRoot, firstLogIndex, txCount, logRoot, createdAt, firstTxTime,
                lastTxTime, producer, n, difficultyBits);
    }

    /** Searches the nonce meeting the difficulty target (no search at difficulty 0, the default). */
    public BlockHeader solve() {
        BlockHeader h = this;
        while (h.hash().leadingZeroBits() < difficultyBits) {
            h = h.withNonce(h.nonce + 1);
        }
        return h;
    }

    public boolean meetsDifficulty() {
        return hash().leadingZeroBits() >= difficultyBits;
    }
}
