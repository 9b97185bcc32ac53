package org.medledger.ledger.tx;

import java.util.Objects;

import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.crypto.Signer;

/** What a submitter signs: who calls which contract function with which arguments, when. */
public record TxBody(String submitter, String contract, String function, Arguments args, long timestamp, long nonce) {
    static final String LABEL = "MEDLEDGER/tx-body/v1";

    public TxBody {
        Objects.requireNonNull(submitter, "submitter is required");
        Objects.requireNonNull(contract, "contract is required");
        Objects.requireNonNull(function, "function is required");
        Objects.requireNonNull(args, "args are required");
    }

    /** The bytes the submitter's signature covers. */
    public byte[] signingBytes() {
        return Canonical.label(LABEL).str(submitter).str(contract).str(function)
                .bytes(args.encode()).u64(timestamp).u64(nonce).toBytes();
    }

    /** Transaction id = SHA-256 of the signed body. */
    public Digest id() {
        return Digest.sha256(signingBytes());
    }

    public Transaction sign(Signer signer) {
        return new Transaction(this, org.medledger.ledger.codec.Bytes.of(signer.sign(signingBytes())), java.util.List.of());
    }
}
