package org.medledger.ledger.crypto;

/** Verification side of a signature scheme. Implementations are stateless and thread-safe. */
public interface SignatureScheme {
    /** True iff {@code signature} is valid for {@code message} under {@code publicKey}; never throws on bad input. */
    boolean verify(byte[] publicKey, byte[] message, byte[] signature);

    /** True iff {@code publicKey} is a well-formed key of this scheme. */
    boolean isValidPublicKey(byte[] publicKey);
}
