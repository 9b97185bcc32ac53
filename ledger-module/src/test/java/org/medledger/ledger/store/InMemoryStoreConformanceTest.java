package org.medledger.ledger.store;

import org.medledger.ledger.store.memory.InMemoryLedgerStore;

class InMemoryStoreConformanceTest extends LedgerStoreConformanceTest {
    @Override
    protected LedgerStore openStore() {
        return new InMemoryLedgerStore();
    }

    @Override
    protected void closeStore() {
        store.close();
    }
}
