package org.medledger.ledger.block;

import java.util.List;
import java.util.Objects;

import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.tx.Transaction;

/** A signed block with its transactions (log indices {@code firstLogIndex ...}). */
public record Block(BlockHeader header, Bytes producerSignature, List<Transaction> transactions) {
    public Block {
        Objects.requireNonNull(header);
        Objects.requireNonNull(producerSignature);
        transactions = List.copyOf(transactions);
    }

    /** What the producer signs: the block id. */
    public static byte[] signingBytes(Digest blockHash) {
        return Canonical.label("MEDLEDGER/block-signature/v1").digest(blockHash).toBytes();
    }
}
