package org.medledger.ledger.tx;

import java.util.Objects;

import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.crypto.Signer;

/**
 * What a submitter signs: who calls which contract function with which arguments, when.
 * Immutable; its canonical encoding and id are computed once (a transaction's id is asked for
 * at submission, at the block cut, for the log leaf and by the verifier).
 */
public final class TxBody {
    static final String LABEL = "MEDLEDGER/tx-body/v1";

    private final String submitter;
    private final String contract;
    private final String function;
    private final Arguments args;
    private final long timestamp;
    private final long nonce;
    private volatile byte[] encoded;
    private volatile Digest id;

    public TxBody(String submitter, String contract, String function, Arguments args, long timestamp, long nonce) {
        this.submitter = Objects.requireNonNull(submitter, "submitter is required");
        this.contract = Objects.requireNonNull(contract, "contract is required");
        this.function = Objects.requireNonNull(function, "function is required");
        this.args = Objects.requireNonNull(args, "args are required");
        this.timestamp = timestamp;
        this.nonce = nonce;
    }

    public String submitter() {
        return submitter;
    }

    public String contract() {
        return contract;
    }

    public String function() {
        return function;
    }

    public Arguments args() {
        return args;
    }

    public long timestamp() {
        return timestamp;
    }

    public long nonce() {
        return nonce;
    }

    /** The bytes the submitter's signature covers (a fresh copy). */
    public byte[] signingBytes() {
        return encoded().clone();
    }

    /** The cached encoding; callers in this package must not modify it. */
    byte[] encoded() {
        byte[] e = encoded;
        if (e == null) {
            e = Canonical.label(LABEL).str(submitter).str(contract).str(function)
                    .bytes(args.encode()).u64(timestamp).u64(nonce).toBytes();
            encoded = e;
        }
        return e;
    }

    /** Transaction id = SHA-256 of the signed body. */
    public Digest id() {
        Digest d = id;
        if (d == null) {
            d = Digest.sha256(encoded());
            id = d;
        }
        return d;
    }

    public Transaction sign(Signer signer) {
        return new Transaction(this, org.medledger.ledger.codec.Bytes.of(signer.sign(encoded())), java.util.List.of());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TxBody b && timestamp == b.timestamp && nonce == b.nonce && submitter.equals(b.submitter)
                && contract.equals(b.contract) && function.equals(b.function) && args.equals(b.args);
    }

    @Override
    public int hashCode() {
        return Objects.hash(submitter, contract, function, args, timestamp, nonce);
    }

    @Override
    public String toString() {
        return "TxBody[submitter=" + submitter + ", contract=" + contract + ", function=" + function + ", args=" + args
                + ", timestamp=" + timestamp + ", nonce=" + nonce + "]";
    }
}
