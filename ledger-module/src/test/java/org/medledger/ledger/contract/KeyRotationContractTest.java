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
import org.medledger.ledger.contract.seeds.KeyRotationContract;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.store.memory.InMemoryLedgerStore;
import org.medledger.ledger.testing.Fixture;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.verify.ChainSource;

/** Key rotations are ledger entries: endorsed by the key's owner, chained per holder, verifiable. */
class KeyRotationContractTest {

    private final Fixture fx = new Fixture();
    private InMemoryLedgerStore store;
    private Ledger ledger;

    @BeforeEach
    void open() {
        store = new InMemoryLedgerStore();
        ledger = fx.open(store);
    }

    @AfterEach
    void verifiesAndCloses() {
        ledger.close();
        assertTrue(fx.verifier().verify(ChainSource.of(store)).ok(), "the ledger verifier accepts the rotations");
    }

    private static Arguments rotation(String purpose, String holder, String oldKey, String newKey) {
        return Arguments.builder().put("purpose", purpose).put("holderId", holder).put("oldKeyId", oldKey)
                .put("newKeyId", newKey).put("at", Fixture.NOW).build();
    }

    private Transaction kgc(Arguments a) {
        return fx.endorse(fx.tx(Fixture.KGC, KeyRotationContract.NAME, "rotate", a), Fixture.KGC);
    }

    private void refused(LedgerReason reason, Transaction tx) {
        LedgerException e = assertThrows(LedgerException.class, () -> ledger.submitAndWait(tx));
        assertEquals(reason, e.reason(), e::getMessage);
    }

    @Test
    void theKgcRotatesItsMasterKeyInOneChain() {
        assertDoesNotThrow(() -> ledger.submitAndWait(kgc(rotation(KeyRotationContract.KGC_MASTER, "kgc", "k1", "k2"))));
        assertDoesNotThrow(() -> ledger.submitAndWait(kgc(rotation(KeyRotationContract.KGC_MASTER, "kgc", "k2", "k3"))));
        // a replayed or stale rotation names a key that is no longer current
        refused(LedgerReason.ALREADY_EXISTS, kgc(rotation(KeyRotationContract.KGC_MASTER, "kgc", "k1", "k4")));
        refused(LedgerReason.MALFORMED, kgc(rotation(KeyRotationContract.KGC_MASTER, "kgc", "k3", "k3")));
    }

    @Test
    void onlyTheKgcRotatesTheMasterKeyAndOnlyTheHospitalItsWrappingKey() {
        fx.register(ledger, "hosp-1", Role.HOSPITAL);
        fx.register(ledger, "hosp-2", Role.HOSPITAL);
        refused(LedgerReason.MISSING_ENDORSEMENT, fx.tx(Fixture.KGC, KeyRotationContract.NAME, "rotate",
                rotation(KeyRotationContract.KGC_MASTER, "kgc", "k1", "k2")));
        refused(LedgerReason.MISSING_ENDORSEMENT, fx.tx("hosp-2", KeyRotationContract.NAME, "rotate",
                rotation(KeyRotationContract.RECORD_WRAP, "hosp-1", "w1", "w2")));
        assertDoesNotThrow(() -> ledger.submitAndWait(fx.endorse(fx.tx("hosp-1", KeyRotationContract.NAME, "rotate",
                rotation(KeyRotationContract.RECORD_WRAP, "hosp-1", "w1", "w2")), "hosp-1")));
        refused(LedgerReason.MALFORMED, fx.endorse(fx.tx("hosp-1", KeyRotationContract.NAME, "rotate",
                rotation("something-else", "hosp-1", "w2", "w3")), "hosp-1"));
    }

    @Test
    void onlyTheKgcRenewsAPartyPartialKeyOncePerGeneration() {
        fx.register(ledger, "hosp-1", Role.HOSPITAL);
        String holder = "emr-auth/patient/p-1";
        refused(LedgerReason.MISSING_ENDORSEMENT, fx.endorse(fx.tx("hosp-1", KeyRotationContract.NAME, "rotate",
                rotation(KeyRotationContract.KGC_PARTIAL_KEY, holder, "k1", "k2")), "hosp-1"));
        assertDoesNotThrow(() -> ledger.submitAndWait(kgc(rotation(KeyRotationContract.KGC_PARTIAL_KEY, holder, "k1", "k2"))));
        // renewed once under k2: the same renewal again names a key that is no longer the party's
        refused(LedgerReason.ALREADY_EXISTS, kgc(rotation(KeyRotationContract.KGC_PARTIAL_KEY, holder, "k1", "k2")));
        // another party's chain is its own
        assertDoesNotThrow(() -> ledger.submitAndWait(kgc(rotation(KeyRotationContract.KGC_PARTIAL_KEY,
                "emr-auth/patient/p-2", "k1", "k2"))));
    }
}
