package org.medledger.consortium;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.medledger.ledger.block.Block;
import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.CanonicalReader;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.tx.Transaction;

/** A block and the producer's tree head after it: one Raft log entry, one unit of catch-up. */
public record BlockWithHead(Block block, SignedTreeHead treeHead) {
    private static final String LABEL = "MEDLEDGER/consortium-block/v1";
    /** Bound on transactions per block accepted from the wire. */
    public static final int MAX_TRANSACTIONS = 100_000;

    public BlockWithHead {
        Objects.requireNonNull(block);
        Objects.requireNonNull(treeHead);
    }

    public byte[] encode() {
        Canonical c = Canonical.label(LABEL).bytes(block.header().encode()).bytes(block.producerSignature().toArray())
                .u64(block.transactions().size());
        for (Transaction t : block.transactions()) {
            c.bytes(t.encode());
        }
        return c.bytes(treeHead.encode()).toBytes();
    }

    /** Decodes a block from the wire; anything malformed is a {@link ConsortiumException} ({@code MALFORMED}). */
    public static BlockWithHead decode(byte[] b) {
        try {
            CanonicalReader r = new CanonicalReader(b).expectLabel(LABEL);
            BlockHeader h = BlockHeader.decode(r.bytes());
            Bytes sig = Bytes.of(r.bytes());
            long n = r.u64();
            if (n > MAX_TRANSACTIONS) {
                throw new ConsortiumException(ConsortiumReason.MALFORMED, "too many transactions");
            }
            List<Transaction> txs = new ArrayList<>((int) n);
            for (long i = 0; i < n; i++) {
                txs.add(Transaction.decode(r.bytes()));
            }
            SignedTreeHead sth = SignedTreeHead.decode(r.bytes());
            r.expectEnd();
            return new BlockWithHead(new Block(h, sig, txs), sth);
        } catch (ConsortiumException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConsortiumException(ConsortiumReason.MALFORMED, "block does not decode");
        }
    }
}
