package org.medledger.ledger.store.jpa;

import java.util.function.Function;

import jakarta.persistence.EntityManager;

/**
 * How the JPA store gets a transaction. Tests use {@link ResourceLocalTransactions}; inside
 * WildFly the EJB layer implements this with a {@code REQUIRES_NEW} bean method that passes
 * its container-managed {@link EntityManager} to {@code work}.
 */
@FunctionalInterface
public interface JpaTransactions {
    /** Runs {@code work} in one transaction, committed when it returns, rolled back when it throws. */
    <T> T inTransaction(Function<EntityManager, T> work);
}
