package org.medledger.ledger.node;

import java.util.List;

import org.medledger.ledger.state.ReadWriteSet;
import org.medledger.ledger.tx.Transaction;

/** A transaction executed against some state: its read/write set and the signatures it depends on. */
public record Prepared(Transaction tx, ReadWriteSet readWriteSet, List<SignatureCheck> signatures) {
    public Prepared {
        signatures = List.copyOf(signatures);
    }
}
