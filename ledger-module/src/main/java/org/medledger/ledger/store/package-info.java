/**
 * The narrow storage interface of the ledger ({@link org.medledger.ledger.store.LedgerStore}):
 * one atomic append per block, paged reads, state lookups. Backends: {@code memory}, {@code jpa}.
 */
package org.medledger.ledger.store;
