package org.medledger.ledger.store;

import java.util.List;
import java.util.Optional;

import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Digest;

/**
 * A block row as stored, with the transaction rows that reference it in log-index order.
 * {@code header} is empty when the row no longer decodes (tampering); the verifier then
 * names this block instead of the store throwing.
 */
public record StoredBlock(long storedNumber, Optional<BlockHeader> header, Optional<Bytes> producerSignature,
                          Optional<Digest> storedHash, List<StoredTransaction> rows, String decodeError) {
    public StoredBlock {
        rows = List.copyOf(rows);
    }
}
