/**
 * Signatures behind a small interface ({@link org.medledger.ledger.crypto.SignatureScheme}):
 * ECDSA P-256/SHA-256 with RFC 6979 nonces and low-S, public keys as SEC1 compressed points.
 * To be swapped for the protocol module's common profile once it exists.
 */
package org.medledger.ledger.crypto;
