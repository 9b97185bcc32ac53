package org.medledger.protocol.group;

import java.util.Arrays;
import java.util.Objects;

/** header_X returned by the block transformation system to the producer (seed 004 §III-C). */
public record BlockHeader(long number, byte[] blockId, byte[] previousId) {

    public BlockHeader {
        blockId = Objects.requireNonNull(blockId).clone();
        previousId = Objects.requireNonNull(previousId).clone();
    }

    @Override
    public byte[] blockId() {
        return blockId.clone();
    }

    @Override
    public byte[] previousId() {
        return previousId.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockHeader h && number == h.number && Arrays.equals(blockId, h.blockId)
                && Arrays.equals(previousId, h.previousId);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(blockId);
    }

    @Override
    public String toString() {
        return "BlockHeader[#" + number + "]";
    }
}
