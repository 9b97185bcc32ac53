package org.medledger.ledger.node;

import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.crypto.SignatureScheme;

/** One signature to verify, collected so that callers can verify in parallel. */
public record SignatureCheck(String who, Bytes publicKey, byte[] message, Bytes signature) {
    public boolean verify(SignatureScheme scheme) {
        return scheme.verify(publicKey.toArray(), message, signature.toArray());
    }
}
