/**
 * RFC 6962 / RFC 9162 Merkle log: leaf and node hashing with domain prefixes, proof
 * generation over an in-memory tree, and inclusion/consistency verification as pure functions
 * returning typed {@link org.medledger.ledger.merkle.ProofError}s. No storage, no JPA.
 */
package org.medledger.ledger.merkle;
