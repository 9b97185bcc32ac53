/**
 * The seed papers' contracts: member registration/revocation, INTER-HOSPITAL's ptins / hains /
 * hbins / mrins and checks (seed 002), CLOUD-CHAIN's Sc and access log (seed 001), ABE-CHAIN's
 * authorization letter, endorsed record descriptor and cloud address (seed 003), GROUP-AGG's
 * uploads and group index (seed 004), and patient consent.
 */
package org.medledger.ledger.contract.seeds;
