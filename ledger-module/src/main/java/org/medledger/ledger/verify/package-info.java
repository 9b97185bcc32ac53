/**
 * The independent verifier: replays a chain (from a store or an export file, no database needed)
 * and checks numbering, hash chain, difficulty, producer signatures, every transaction's leaf,
 * id, submitter and endorser signatures, endorsement policy and contract execution, block
 * Merkle roots, log roots and signed tree heads; it names the first bad block, transaction or
 * tree head. {@link org.medledger.ledger.verify.VerifierCli} is its command line.
 */
package org.medledger.ledger.verify;
