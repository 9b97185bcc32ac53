package org.medledger.ledger.node;

import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.log.SignedTreeHead;

/** Durable acknowledgement: where the transaction is, in which block, under which signed tree head. */
public record Receipt(Digest txId, long logIndex, Digest leafHash, BlockHeader block, SignedTreeHead treeHead) {
}
