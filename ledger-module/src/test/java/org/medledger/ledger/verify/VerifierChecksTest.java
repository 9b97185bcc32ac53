package org.medledger.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.ledger.contract.seeds.InterHospitalContract;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.store.memory.InMemoryLedgerStore;
import org.medledger.ledger.testing.ChainBuilder;
import org.medledger.ledger.testing.Databases;
import org.medledger.ledger.testing.Fixture;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.tx.TxBody;

/**
 * Chains that every signature holds on (the producer key signs what it is given) but that break
 * a rule of the ledger: the verifier names each at the right place.
 */
class VerifierChecksTest {
    private final Fixture fx = new Fixture();
    private InMemoryLedgerStore store;
    private ChainBuilder chain;
    private long nonce = 1_000_000;

    @BeforeEach
    void setUp() {
        store = new InMemoryLedgerStore();
        try (Ledger node = fx.open(store)) {
            fx.register(node, "hosp-1", Role.HOSPITAL);
            node.submitAndWait(fx.endorse(fx.tx(Fixture.KGC, InterHospitalContract.NAME, "ptins",
                    Arguments.builder().put("patientId", "pat-1").put("detail", "d").build()), Fixture.KGC));
        }
        chain = new ChainBuilder(fx, store);
    }

    /** A read-only check submitted as a transaction (allowed any number of times), at {@code time}. */
    private Transaction check(long time) {
        return new TxBody(Fixture.KGC, InterHospitalContract.NAME, "ptchk", Arguments.builder().put("patientId", "pat-1").build(), time,
                nonce++).sign(fx.kgcKey);
    }

    private VerificationFailure failure() {
        VerificationReport r = fx.verifier().verify(ChainSource.of(store));
        assertTrue(r.failure().isPresent(), "the verifier accepted the chain");
        return r.failure().get();
    }

    private static void assertFailure(Location l, long index, Check c, VerificationFailure f) {
        assertEquals(c, f.check(), f::toString);
        assertEquals(l, f.location(), f::toString);
        assertEquals(index, f.index(), f::toString);
    }

    @Test
    void anHonestBuiltChainVerifies() {
        chain.append(List.of(check(Fixture.NOW), check(Fixture.NOW)), false);
        chain.append(List.of(check(Fixture.NOW)), false);
        VerificationReport r = fx.verifier().verify(ChainSource.of(store), store.latestTreeHead());
        assertTrue(r.ok(), () -> r.failure().toString());
    }

    /** The operator drops the store's unique constraint on ids; the producer key signs a block repeating a transaction. */
    @Test
    void aTransactionIdRepeatedInALaterBlockIsRefused() throws Exception {
        String url = Databases.h2Memory();
        try (Databases.JpaStore jpa = Databases.JpaStore.open(url); Connection sql = DriverManager.getConnection(url, "sa", "")) {
            try (Ledger node = fx.open(jpa.store())) {
                fx.register(node, "hosp-1", Role.HOSPITAL);
                node.submitAndWait(fx.endorse(fx.tx(Fixture.KGC, InterHospitalContract.NAME, "ptins",
                        Arguments.builder().put("patientId", "pat-1").put("detail", "d").build()), Fixture.KGC));
            }
            sql.createStatement().execute("ALTER TABLE ledger_transaction DROP CONSTRAINT ledger_transaction_tx_id");
            ChainBuilder h2 = new ChainBuilder(fx, jpa.store());
            Transaction t = check(Fixture.NOW);
            h2.append(List.of(t), false);
            long second = h2.size() + 1;
            h2.append(List.of(check(Fixture.NOW), t), false);
            VerificationFailure f = fx.verifier().verify(ChainSource.of(jpa.store())).failure().orElseThrow();
            assertFailure(Location.TRANSACTION, second, Check.TX_DUPLICATE, f);
        }
    }

    @Test
    void aTransactionTimeOutsideTheWindowAroundItsBlockIsRefused() {
        chain.append(List.of(check(Fixture.NOW)), false);
        long stale = chain.size();
        chain.append(List.of(check(Fixture.NOW - Duration.ofMinutes(6).toMillis())), false);
        assertFailure(Location.TRANSACTION, stale, Check.TX_TIMESTAMP, failure());
        // Within a wider window the same chain verifies.
        assertTrue(new LedgerVerifier(fx.anchors, fx.contracts, org.medledger.ledger.crypto.P256SignatureScheme.INSTANCE, Duration.ofMinutes(10))
                .verify(ChainSource.of(store)).ok());
    }

    @Test
    void aTreeHeadNoLaterThanThePreviousOneIsRefused() {
        chain.append(List.of(check(Fixture.NOW)), false);
        long previous = chain.lastBlockTime();
        chain.headAt(previous);
        chain.append(List.of(check(Fixture.NOW)), false);
        assertFailure(Location.TREE_HEAD, chain.size(), Check.TREE_HEAD_TIMESTAMP, failure());
    }

    @Test
    void aBlockNoLaterThanThePreviousOneIsRefused() {
        chain.append(List.of(check(Fixture.NOW)), false);
        long number = store.head().orElseThrow().number() + 1;
        chain.at(chain.lastBlockTime());
        chain.append(List.of(check(Fixture.NOW)), false);
        assertFailure(Location.BLOCK, number, Check.BLOCK_TIMESTAMPS, failure());
    }

    @Test
    void aTreeHeadOfAnotherLogIsRefused() {
        chain.headOfLog("another-hospital-log");
        chain.append(List.of(check(Fixture.NOW)), false);
        assertFailure(Location.TREE_HEAD, chain.size(), Check.TREE_HEAD_LOG_ID, failure());
    }

    @Test
    void aCheckpointOfAnotherLogIsRefused() {
        SignedTreeHead h = store.latestTreeHead().orElseThrow();
        SignedTreeHead other = SignedTreeHead.sign("another-hospital-log", h.treeSize(), h.rootHash(), h.timestamp(), h.signer(), fx.producerKey);
        VerificationReport r = fx.verifier().verify(ChainSource.of(store), Optional.of(other));
        assertEquals(Check.TREE_HEAD_LOG_ID, r.failure().orElseThrow().check());
    }

    /**
     * The operator holds the node's key: it rebuilds the whole chain without the revocation of a
     * doctor and signs every block and tree head anew. Alone, the forged chain verifies; against
     * the tree head a client saved earlier it does not.
     */
    @Test
    void aRewriteResignedWithTheNodeKeyIsCaughtByASavedTreeHead() {
        InMemoryLedgerStore honest = new InMemoryLedgerStore();
        InMemoryLedgerStore forged = new InMemoryLedgerStore();
        Transaction doctor = fx.registration("doc-1", Role.DOCTOR);
        Transaction revoke = fx.endorse(fx.tx(Fixture.KGC, "member", "revoke", Arguments.builder().put("memberId", "doc-1").build()),
                Fixture.KGC);
        Transaction other = fx.registration("doc-2", Role.DOCTOR);
        try (Ledger a = fx.open(honest); Ledger b = fx.open(forged)) {
            a.submitAndWait(doctor);
            a.submitAndWait(revoke);
            b.submitAndWait(doctor);
            b.submitAndWait(other); // same length, no revocation
        }
        SignedTreeHead saved = honest.latestTreeHead().orElseThrow();
        assertTrue(fx.verifier().verify(ChainSource.of(forged)).ok(), "a key holder can build a chain that verifies alone");
        VerificationReport r = fx.verifier().verify(ChainSource.of(forged), Optional.of(saved));
        assertFailure(Location.TREE_HEAD, saved.treeSize(), Check.CHECKPOINT_ROOT, r.failure().orElseThrow());
        // A shorter rewrite is caught as truncation.
        InMemoryLedgerStore shorter = new InMemoryLedgerStore();
        try (Ledger c = fx.open(shorter)) {
            c.submitAndWait(doctor);
        }
        assertEquals(Check.LOG_TRUNCATED, fx.verifier().verify(ChainSource.of(shorter), Optional.of(saved)).failure().orElseThrow().check());
    }
}
