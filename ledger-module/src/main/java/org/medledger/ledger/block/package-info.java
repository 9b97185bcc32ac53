/**
 * Blocks: header (number, previous hash, Merkle root of the block's transactions, log size and
 * root after the block, timestamps, producer, seed 004's nonce and difficulty), the producer's
 * signature, and the transactions.
 */
package org.medledger.ledger.block;
