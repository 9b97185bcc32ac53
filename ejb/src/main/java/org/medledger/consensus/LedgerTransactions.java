package org.medledger.consensus;

import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.function.Function;

import org.medledger.ledger.store.jpa.JpaTransactions;

/** The ledger store's unit of work: one new JTA transaction per block append or read. */
@Stateless
@LocalBean
public class LedgerTransactions implements JpaTransactions {

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public <T> T inTransaction(Function<EntityManager, T> work) {
        return work.apply(em);
    }
}
