package org.medledger.ledger.contract;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.contract.seeds.AccessContract;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.store.memory.InMemoryLedgerStore;
import org.medledger.ledger.testing.Fixture;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.verify.ChainSource;

/** The access entry: only the holder itself, as a hospital or cloud member, records its releases. */
class AccessContractTest {
    private final Fixture fx = new Fixture();
    private InMemoryLedgerStore store;
    private Ledger ledger;

    @BeforeEach
    void open() {
        store = new InMemoryLedgerStore();
        ledger = fx.open(store);
        fx.register(ledger, "hpc-1", Role.HOSPITAL);
        fx.register(ledger, "doc-1", Role.DOCTOR);
    }

    @AfterEach
    void verifiesAndCloses() {
        ledger.close();
        assertTrue(fx.verifier().verify(ChainSource.of(store)).ok());
    }

    private static Arguments entry(String holder, String outcome) {
        return Arguments.builder().put("scheme", "EMR-AUTH").put("holderId", holder).put("patientId", "pat-1")
                .put("accessorId", "doc-1").put("outcome", outcome).put("reason", "CONSENTED").put("at", Fixture.NOW).build();
    }

    private void refused(LedgerReason reason, Transaction tx) {
        LedgerException e = assertThrows(LedgerException.class, () -> ledger.submitAndWait(tx));
        assertEquals(reason, e.reason(), e::getMessage);
    }

    @Test
    void theHolderRecordsReleasesAndRefusals() {
        assertDoesNotThrow(() -> ledger.submitAndWait(fx.tx("hpc-1", AccessContract.NAME, "record", entry("hpc-1", "released"))));
        assertDoesNotThrow(() -> ledger.submitAndWait(fx.tx("hpc-1", AccessContract.NAME, "record", entry("hpc-1", "refused"))));
        assertTrue(ledger.state("access-last", "hpc-1/pat-1/doc-1").isPresent());
    }

    @Test
    void nobodyElseRecordsForTheHolder() {
        fx.register(ledger, "hpc-2", Role.HOSPITAL);
        refused(LedgerReason.NOT_AUTHORIZED, fx.tx("hpc-2", AccessContract.NAME, "record", entry("hpc-1", "released")));
        refused(LedgerReason.WRONG_ROLE, fx.tx("doc-1", AccessContract.NAME, "record", entry("doc-1", "released")));
    }

    @Test
    void anUnknownOutcomeIsRefused() {
        refused(LedgerReason.MALFORMED, fx.tx("hpc-1", AccessContract.NAME, "record", entry("hpc-1", "maybe")));
    }
}
