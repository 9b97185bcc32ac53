package org.medledger.ledger.store;

import org.junit.jupiter.api.extension.ExtendWith;
import org.medledger.ledger.testing.Databases;
import org.medledger.ledger.testing.PostgresCluster;
import org.medledger.ledger.testing.PostgresExtension;

@ExtendWith(PostgresExtension.class)
class PostgresStoreConformanceTest extends LedgerStoreConformanceTest {
    private final PostgresCluster cluster;
    private Databases.JpaStore jpa;

    PostgresStoreConformanceTest(PostgresCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    protected LedgerStore openStore() {
        jpa = Databases.JpaStore.open(cluster.createDatabase());
        return jpa.store();
    }

    @Override
    protected void closeStore() {
        jpa.close();
    }
}
