package org.medledger.ledger.store;

import org.junit.jupiter.api.extension.ExtendWith;
import org.medledger.ledger.testing.Databases;
import org.medledger.ledger.testing.PostgresCluster;
import org.medledger.ledger.testing.PostgresExtension;

@ExtendWith(PostgresExtension.class)
class PostgresStoreConformanceTest extends LedgerStoreConformanceTest {
    private final PostgresCluster cluster;
    private Databases.JpaStore jpa;
    private Databases.JpaStore second;
    private String url;

    PostgresStoreConformanceTest(PostgresCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    protected LedgerStore openStore() {
        url = cluster.createDatabase();
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
