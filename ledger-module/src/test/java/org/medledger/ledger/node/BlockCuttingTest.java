package org.medledger.ledger.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.contract.seeds.InterHospitalContract;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.store.StoredBlock;
import org.medledger.ledger.store.memory.InMemoryLedgerStore;
import org.medledger.ledger.testing.Fixture;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;

class BlockCuttingTest {
    private final Fixture fx = new Fixture();

    private Transaction ptins(String patient, String detail) {
        return fx.endorse(fx.tx(Fixture.KGC, InterHospitalContract.NAME, "ptins",
                Arguments.builder().put("patientId", patient).put("detail", detail).build()), Fixture.KGC);
    }

    @Test
    void blocksAreCutBySize() {
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        try (Ledger ledger = Ledger.open(store, fx.config().withBlockCutting(3, Duration.ofSeconds(30)))) {
            List<CompletableFuture<Receipt>> fs = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                fs.add(ledger.submit(ptins("p-" + i, "d")));
            }
            fs.forEach(CompletableFuture::join); // with a 30 s delay only the size rule can have cut them
        }
        List<StoredBlock> blocks = store.blocks(0, 100);
        assertEquals(3, blocks.size());
        blocks.forEach(b -> assertEquals(3, b.header().orElseThrow().txCount()));
    }

    @Test
    void aLoneTransactionIsCutByTime() throws Exception {
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        try (Ledger ledger = Ledger.open(store, fx.config().withBlockCutting(1000, Duration.ofMillis(30)))) {
            Receipt r = ledger.submit(ptins("p-1", "d")).get(5, TimeUnit.SECONDS);
            assertEquals(1, r.block().txCount());
        }
    }

    @Test
    void concurrentDuplicateInsertsAreSerialisedAndTheLoserGetsTheContractsReason() {
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        try (Ledger ledger = Ledger.open(store, fx.config().withBlockCutting(10, Duration.ofMillis(200)))) {
            // Both simulate against the same committed state (no p-1 yet), so both pass submission;
            // at the cut the second's read set is stale, it is re-executed and refused.
            CompletableFuture<Receipt> a = ledger.submit(ptins("p-1", "first"));
            CompletableFuture<Receipt> b = ledger.submit(ptins("p-1", "second"));
            assertEquals(0, a.join().logIndex());
            CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, b::join);
            assertEquals(LedgerReason.ALREADY_EXISTS, ((LedgerException) e.getCause()).reason());
            assertEquals(1, ledger.size());
        }
        assertTrue(fx.verifier().verify(org.medledger.ledger.verify.ChainSource.of(store)).ok());
    }

    @Test
    void revocationRacingASubmissionIsSeenAtTheCut() {
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        try (Ledger ledger = Ledger.open(store, fx.config().withBlockCutting(10, Duration.ofMillis(200)))) {
            fx.register(ledger, "hosp-1", Role.HOSPITAL);
            CompletableFuture<Receipt> revoke = ledger.submit(fx.endorse(fx.tx(Fixture.KGC, "member", "revoke",
                    Arguments.builder().put("memberId", "hosp-1").build()), Fixture.KGC));
            CompletableFuture<Receipt> late = ledger.submit(fx.tx("hosp-1", "group-agg", "upload", Arguments.builder()
                    .put("kind", "EHR").put("recordId", "ehr-1").put("receiver", "pat-1").put("recordTime", 1)
                    .put("brief", "b").put("sensitive", "s").build()));
            revoke.join();
            CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, late::join);
            assertEquals(LedgerReason.MEMBER_NOT_ACTIVE, ((LedgerException) e.getCause()).reason());
        }
    }
}
