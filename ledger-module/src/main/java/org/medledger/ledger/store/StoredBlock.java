package org.medledger.ledger.store;

import java.util.List;
import java.util.Optional;

import org.medledger.ledger.block.Block;
import org.medledger.ledger.codec.Digest;

/**
 * A block row as stored, with its transaction rows in log-index order. {@code block} is empty
 * when the header no longer decodes; its transactions are then only in {@code rows}.
 */
public record StoredBlock(long storedNumber, Optional<Block> block, Optional<Digest> storedHash, List<StoredTransaction> rows,
                          String decodeError) {
    public StoredBlock {
        rows = List.copyOf(rows);
    }
}
