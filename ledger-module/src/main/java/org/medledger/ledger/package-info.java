/**
 * The permissioned ledger: transactions, blocks, the RFC 6962 log, world state and contracts.
 */
package org.medledger.ledger;
