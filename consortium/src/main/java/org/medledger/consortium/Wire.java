package org.medledger.consortium;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.CanonicalReader;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.node.Receipt;

/**
 * Node-to-node messages, in the ledger's canonical encoding (label, then length-prefixed
 * fields). Raft log entries are {@link Kind#BLOCK}; everything else travels as Ratis read-only
 * requests: {@code SUBMIT} to the leader, {@code BLOCKS} and {@code COSIGN} to any peer.
 * Decoding failures are {@link ConsortiumReason#MALFORMED}.
 */
final class Wire {
    private static final String LABEL = "MEDLEDGER/consortium-wire/v1";
    static final int MAX_BLOCKS_PER_PAGE = 64;

    enum Kind { BLOCK, SUBMIT, BLOCKS, COSIGN, RECEIPT, APPLIED, PAGE, COSIGNED, ERROR }

    private Wire() {
    }

    static byte[] message(Kind kind, byte[] body) {
        return Canonical.label(LABEL).str(kind.name()).bytes(body).toBytes();
    }

    record Envelope(Kind kind, byte[] body) {
    }

    static Envelope open(byte[] b) {
        try {
            CanonicalReader r = new CanonicalReader(b).expectLabel(LABEL);
            Kind k = Kind.valueOf(r.str());
            byte[] body = r.bytes();
            r.expectEnd();
            return new Envelope(k, body);
        } catch (RuntimeException e) {
            throw new ConsortiumException(ConsortiumReason.MALFORMED, "message does not decode");
        }
    }

    static byte[] error(ConsortiumReason reason, String detail) {
        return message(Kind.ERROR, Canonical.plain().str(reason.name()).str("").str(detail == null ? "" : detail).toBytes());
    }

    /** A refusal by the ledger's rules, carried with its ledger reason. */
    static byte[] error(org.medledger.ledger.LedgerException e) {
        return message(Kind.ERROR, Canonical.plain().str(ConsortiumReason.INVALID_TRANSACTION.name()).str(e.reason().name())
                .str(String.valueOf(e.getMessage())).toBytes());
    }

    /** The error carried by an ERROR message, as the exception to throw at the caller. */
    static RuntimeException error(byte[] body) {
        try {
            CanonicalReader r = new CanonicalReader(body);
            ConsortiumReason reason = ConsortiumReason.valueOf(r.str());
            String ledgerReason = r.str();
            String detail = r.str();
            if (!ledgerReason.isEmpty()) {
                return new org.medledger.ledger.LedgerException(org.medledger.ledger.LedgerReason.valueOf(ledgerReason), detail);
            }
            return new ConsortiumException(reason, detail);
        } catch (RuntimeException e) {
            return new ConsortiumException(ConsortiumReason.MALFORMED, "error reply does not decode");
        }
    }

    static byte[] receipt(Receipt r) {
        return message(Kind.RECEIPT, Canonical.plain().digest(r.txId()).u64(r.logIndex()).digest(r.leafHash())
                .bytes(r.block().encode()).bytes(r.treeHead().encode()).toBytes());
    }

    static Receipt receipt(byte[] body) {
        CanonicalReader r = new CanonicalReader(body);
        Receipt out = new Receipt(r.digest(), r.u64(), r.digest(), BlockHeader.decode(r.bytes()), SignedTreeHead.decode(r.bytes()));
        r.expectEnd();
        return out;
    }

    static byte[] blocksRequest(long fromNumber, int limit) {
        return message(Kind.BLOCKS, Canonical.plain().u64(fromNumber).u64(limit).toBytes());
    }

    /** A page of blocks and the serving node's last applied Raft (term, index), read before the blocks. */
    record Page(long appliedTerm, long appliedIndex, List<BlockWithHead> blocks) {
    }

    static byte[] page(long term, long index, List<BlockWithHead> blocks) {
        Canonical c = Canonical.plain().u64(term).u64(index).u64(blocks.size());
        blocks.forEach(b -> c.bytes(b.encode()));
        return message(Kind.PAGE, c.toBytes());
    }

    static Page page(byte[] body) {
        CanonicalReader r = new CanonicalReader(body);
        long term = r.u64();
        long index = r.u64();
        long n = r.u64();
        if (n > MAX_BLOCKS_PER_PAGE) {
            throw new ConsortiumException(ConsortiumReason.MALFORMED, "too many blocks in a page");
        }
        List<BlockWithHead> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(BlockWithHead.decode(r.bytes()));
        }
        r.expectEnd();
        return new Page(term, index, out);
    }

    static byte[] cosigned(Optional<Cosignature> c) {
        return message(Kind.COSIGNED, c.map(Cosignature::encode).orElse(new byte[0]));
    }

    static Optional<Cosignature> cosigned(byte[] body) {
        return body.length == 0 ? Optional.empty() : Optional.of(Cosignature.decode(body));
    }

    static byte[] applied(Digest blockHash, long logSize) {
        return message(Kind.APPLIED, Canonical.plain().digest(blockHash).u64(logSize).toBytes());
    }
}
