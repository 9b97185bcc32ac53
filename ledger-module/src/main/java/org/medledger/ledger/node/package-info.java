/**
 * The ledger node: validates and simulates submissions ({@link org.medledger.ledger.node.TransactionProcessor}),
 * cuts blocks by size or time, re-validates read sets at the cut (conflicting transactions are
 * re-executed in order, never dropped), signs blocks and tree heads, serves proofs.
 */
package org.medledger.ledger.node;
