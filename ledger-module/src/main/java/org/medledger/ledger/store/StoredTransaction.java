package org.medledger.ledger.store;

import java.util.Optional;

import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.tx.Transaction;

/**
 * A transaction row as stored. {@code tx} is empty when the row no longer decodes (tampering);
 * the verifier then names this row instead of the store throwing.
 */
public record StoredTransaction(long logIndex, Optional<Transaction> tx, Optional<Digest> storedTxId,
                                Optional<Digest> storedLeafHash, String decodeError) {
}
