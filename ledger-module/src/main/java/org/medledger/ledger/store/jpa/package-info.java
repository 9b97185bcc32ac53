/**
 * JPA backend of {@link org.medledger.ledger.store.LedgerStore}. Entities are package-private
 * and never leave this package; the schema comes only from the Flyway migrations run by
 * {@link org.medledger.ledger.store.jpa.LedgerSchema} (explicit resource list, no classpath scanning).
 */
package org.medledger.ledger.store.jpa;
