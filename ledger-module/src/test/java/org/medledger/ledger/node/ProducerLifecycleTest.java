package org.medledger.ledger.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.contract.seeds.InterHospitalContract;
import org.medledger.ledger.store.memory.InMemoryLedgerStore;
import org.medledger.ledger.testing.Fixture;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.verify.ChainSource;

/** The block producer runs on the thread factory it is given and drains pending appends on close. */
class ProducerLifecycleTest {
    private final Fixture fx = new Fixture();

    private Transaction ptins(String patient) {
        return fx.endorse(fx.tx(Fixture.KGC, InterHospitalContract.NAME, "ptins",
                Arguments.builder().put("patientId", patient).put("detail", "d").build()), Fixture.KGC);
    }

    @Test
    void theProducerRunsOnTheGivenThreadFactory() throws Exception {
        AtomicReference<Thread> made = new AtomicReference<>();
        AtomicReference<Thread> ran = new AtomicReference<>();
        ThreadFactory threads = r -> {
            Thread t = new Thread(() -> {
                ran.set(Thread.currentThread());
                r.run();
            }, "managed-test-thread");
            made.set(t);
            return t;
        };
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        Ledger ledger = Ledger.open(store, fx.config().withBlockCutting(1000, Duration.ofMillis(20)), threads);
        try {
            assertEquals(0, ledger.submit(ptins("p-1")).get(10, TimeUnit.SECONDS).logIndex());
            assertSame(made.get(), ran.get());
        } finally {
            ledger.close();
        }
        assertFalse(made.get().isAlive(), "close ends the producer thread");
    }

    @Test
    void closeCutsWhatIsPendingInsteadOfDroppingIt() {
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        // a block delay far beyond the test: only the close can cut these
        Ledger ledger = Ledger.open(store, fx.config().withBlockCutting(1000, Duration.ofMinutes(10)));
        List<CompletableFuture<Receipt>> pending = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pending.add(ledger.submit(ptins("p-" + i)));
        }
        long start = System.nanoTime();
        ledger.close();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "close does not wait out the block delay");
        for (CompletableFuture<Receipt> f : pending) {
            assertTrue(f.isDone() && !f.isCompletedExceptionally(), "every pending append acknowledged");
        }
        assertEquals(5, store.blocks(0, 100).stream().mapToLong(b -> b.header().orElseThrow().txCount()).sum());
        assertTrue(fx.verifier().verify(ChainSource.of(store)).ok());
    }

    @Test
    void aSubmissionAfterCloseIsRefused() {
        Ledger ledger = Ledger.open(new InMemoryLedgerStore(), fx.config());
        assertTrue(ledger.isOpen(), "an opened node reports itself open (readiness)");
        ledger.close();
        assertFalse(ledger.isOpen(), "a closed node reports itself closed (readiness)");
        LedgerException e = assertThrows(LedgerException.class, () -> ledger.submit(ptins("p-1")));
        assertEquals(LedgerReason.CLOSED, e.reason());
    }
}
