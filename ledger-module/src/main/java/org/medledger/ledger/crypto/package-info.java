/**
 * Signatures behind a small interface ({@link org.medledger.ledger.crypto.SignatureScheme},
 * {@link org.medledger.ledger.crypto.Signer}), implemented on the protocol's common profile
 * ({@code org.medledger.protocol.common.Ecdsa}: P-256/SHA-256, RFC 6979 nonces, low-S), public
 * keys as SEC1 compressed points.
 */
package org.medledger.ledger.crypto;
