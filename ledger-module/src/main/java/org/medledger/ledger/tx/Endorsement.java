package org.medledger.ledger.tx;

import java.util.Objects;

import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.Digest;

/** An endorser's signature over a transaction id. */
public record Endorsement(String endorser, Bytes signature) {
    public Endorsement {
        Objects.requireNonNull(endorser, "endorser is required");
        Objects.requireNonNull(signature, "signature is required");
    }

    public static byte[] signingBytes(Digest txId) {
        return Canonical.label("MEDLEDGER/endorsement/v1").digest(txId).toBytes();
    }
}
