package org.medledger.protocol.group;

import java.util.Arrays;
import java.util.Objects;

import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.LabelledEncoder;

/**
 * A block as in seed 004, Fig. 6: number, block id, previous block id, nonce, block
 * timestamp and the upload record (which carries receiver, record timestamp, brief and
 * sensitive information). The block id is
 * {@code SHA-256(enc(previous id, number, block timestamp, record, nonce))} and must have at
 * least {@code difficulty} leading zero bits (default 0: the ledger is permissioned, the
 * field is kept, the work is not).
 */
public record Block(long number, byte[] blockId, byte[] previousId, long nonce, long blockTimestamp, UploadRecord record) {

    public Block {
        blockId = Objects.requireNonNull(blockId).clone();
        previousId = Objects.requireNonNull(previousId).clone();
        Objects.requireNonNull(record);
    }

    @Override
    public byte[] blockId() {
        return blockId.clone();
    }

    @Override
    public byte[] previousId() {
        return previousId.clone();
    }

    public BlockHeader header() {
        return new BlockHeader(number, blockId, previousId);
    }

    /** The block id: SHA-256 of the labelled (previous id, number, block time, record, nonce) (deviation G10). */
    public static byte[] computeId(byte[] previousId, long number, long blockTimestamp, UploadRecord record, long nonce) {
        return CheckValues.digest(LabelledEncoder.of("GROUP-AGG/Block").bytes(previousId).int64(number)
                .int64(blockTimestamp).bytes(record.toBytes()).int64(nonce));
    }

    static boolean meetsDifficulty(byte[] id, int bits) {
        for (int i = 0; i < bits; i++) {
            if ((id[i / 8] & (0x80 >>> (i % 8))) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Recomputes the id and checks the difficulty. */
    public boolean isWellFormed(int difficulty) {
        byte[] expected = computeId(previousId, number, blockTimestamp, record, nonce);
        return Arrays.equals(expected, blockId) && meetsDifficulty(blockId, difficulty);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Block b && number == b.number && Arrays.equals(blockId, b.blockId);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(blockId);
    }

    @Override
    public String toString() {
        return "Block[#" + number + ", " + record + "]";
    }
}
