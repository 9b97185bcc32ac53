package org.medledger.ledger.crypto;

/** Holds one private key and signs with it. Implementations never expose the key. */
public interface Signer {
    byte[] publicKey();

    byte[] sign(byte[] message);
}
