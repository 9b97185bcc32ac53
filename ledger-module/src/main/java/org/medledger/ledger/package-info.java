/**
 * The permissioned ledger: transactions, blocks, the RFC 6962 log, world state and contracts.
 * Sub-packages are by feature; {@link org.medledger.ledger.node.Ledger} is the entry point,
 * {@link org.medledger.ledger.verify.LedgerVerifier} the independent verifier.
 */
package org.medledger.ledger;
