package org.medledger.ledger.store;

import org.medledger.ledger.testing.Databases;

class H2StoreConformanceTest extends LedgerStoreConformanceTest {
    private Databases.JpaStore jpa;

    @Override
    protected LedgerStore openStore() {
        jpa = Databases.JpaStore.open(Databases.h2Memory());
        return jpa.store();
    }

    @Override
    protected void closeStore() {
        jpa.close();
    }
}
