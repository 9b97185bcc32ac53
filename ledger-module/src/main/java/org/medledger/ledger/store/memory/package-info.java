/** In-memory {@link org.medledger.ledger.store.LedgerStore} for tests and the embedded default. */
package org.medledger.ledger.store.memory;
