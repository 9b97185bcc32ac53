package org.medledger.ledger.store;

import org.medledger.ledger.testing.Databases;

class H2StoreConformanceTest extends LedgerStoreConformanceTest {
    private Databases.JpaStore jpa;
    private Databases.JpaStore second;
    private String url;

    @Override
    protected LedgerStore openStore() {
        url = Databases.h2Memory();
        jpa = Databases.JpaStore.open(url);
        return jpa.store();
    }

    @Override
    protected LedgerStore secondConnection() {
        second = Databases.JpaStore.open(url);
        return second.store();
    }

    @Override
    protected void closeStore() {
        if (second != null) {
            second.close();
        }
        jpa.close();
    }
}
