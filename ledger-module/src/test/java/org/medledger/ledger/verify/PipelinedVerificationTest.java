package org.medledger.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;
import org.medledger.ledger.block.Block;
import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.contract.seeds.GroupAggContract;
import org.medledger.ledger.log.LogLeaf;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.merkle.MerkleAccumulator;
import org.medledger.ledger.merkle.MerkleTree;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.VersionedValue;
import org.medledger.ledger.store.BlockCommit;
import org.medledger.ledger.store.memory.InMemoryLedgerStore;
import org.medledger.ledger.testing.ChainBuilder;
import org.medledger.ledger.testing.Fixture;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.tx.TxBody;

/**
 * The verifier checks signatures on worker threads while it replays later blocks; the failure it
 * reports must still be the first one in chain order, with the report a sequential run gives.
 */
class PipelinedVerificationTest {
    private static final int BLOCKS = 12;
    private static final int PER_BLOCK = 150;

    /** Blocks before the test blocks (the two registrations). */
    private long registrationBlocks;

    private final Fixture fx = new Fixture();

    private Transaction upload(String id, boolean badSignature) {
        TxBody body = new TxBody("doc-1", GroupAggContract.NAME, "upload", Arguments.builder().put("kind", "EMR").put("recordId", id)
                .put("receiver", "pat-1").put("recordTime", Fixture.NOW).put("brief", "b").put("sensitive", Bytes.of(new byte[8])).build(),
                Fixture.NOW, id.hashCode());
        return body.sign(badSignature ? fx.key("doc-2") : fx.key("doc-1"));
    }

    private InMemoryLedgerStore chain(int badBlock, int badPosition, int badRootBlock) {
        return chain(badBlock, java.util.Set.of(badPosition), badRootBlock);
    }

    /**
     * Appends {@link #BLOCKS} blocks directly: positions {@code badPositions} of test block
     * {@code badBlock} are signed by the wrong key; test block {@code badRootBlock} gets a wrong tx root.
     */
    private InMemoryLedgerStore chain(int badBlock, java.util.Set<Integer> badPositions, int badRootBlock) {
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        try (Ledger reg = fx.open(store)) {
            fx.register(reg, "doc-1", Role.DOCTOR);
            fx.register(reg, "doc-2", Role.DOCTOR);
        }
        registrationBlocks = store.head().orElseThrow().number() + 1;
        ChainBuilder chain = new ChainBuilder(fx, store);
        for (int b = 0; b < BLOCKS; b++) {
            int block = b;
            IntFunction<Transaction> tx = i -> upload("r-" + block + "-" + i, block == badBlock && badPositions.contains(i));
            List<Transaction> txs = new ArrayList<>();
            for (int i = 0; i < PER_BLOCK; i++) {
                txs.add(tx.apply(i));
            }
            chain.append(txs, b == badRootBlock);
        }
        return store;
    }

    @Test
    void anHonestChainVerifiesCompletely() {
        InMemoryLedgerStore store = chain(-1, -1, -1);
        VerificationReport r = fx.verifier().verify(ChainSource.of(store), store.latestTreeHead());
        assertTrue(r.ok(), String.valueOf(r.failure()));
        assertEquals(store.head().orElseThrow().number() + 1, r.blocks());
        assertEquals(store.head().orElseThrow().logSize(), r.transactions());
    }

    @Test
    void anEarlierBadSignatureWinsOverALaterBlockFailure() {
        InMemoryLedgerStore store = chain(2, 17, 4);
        VerificationReport r = fx.verifier().verify(ChainSource.of(store));
        VerificationFailure f = r.failure().orElseThrow();
        long firstOfBlock2 = firstLogIndex(store, 2);
        assertEquals(Check.TX_SIGNATURE, f.check());
        assertEquals(firstOfBlock2 + 17, f.index());
        // As in a sequential run: reported while test block 2 was being checked, before its leaves joined the log.
        assertEquals(registrationBlocks + 2, r.blocks());
        assertEquals(firstOfBlock2, r.transactions());
    }

    @Test
    void theLastBadSignatureOfTheChainIsFoundToo() {
        InMemoryLedgerStore store = chain(BLOCKS - 1, PER_BLOCK - 1, -1);
        VerificationFailure f = fx.verifier().verify(ChainSource.of(store)).failure().orElseThrow();
        assertEquals(Check.TX_SIGNATURE, f.check());
        assertEquals(store.head().orElseThrow().logSize() - 1, f.index());
    }

    @Test
    void aLaterBlockFailureIsReportedWhenEarlierSignaturesHold() {
        InMemoryLedgerStore store = chain(-1, -1, 7);
        VerificationReport r = fx.verifier().verify(ChainSource.of(store));
        VerificationFailure f = r.failure().orElseThrow();
        assertEquals(Check.TX_ROOT, f.check());
        assertEquals(registrationBlocks + 7, f.index());
        assertEquals(registrationBlocks + 7, r.blocks());
    }

    @Test
    void twoBadSignaturesInOneBlockNameTheFirst() {
        // 150 positions are checked in three chunks; the later chunk's failure must not win.
        InMemoryLedgerStore store = chain(3, java.util.Set.of(140, 70, 90), -1);
        VerificationFailure f = fx.verifier().verify(ChainSource.of(store)).failure().orElseThrow();
        assertEquals(Check.TX_SIGNATURE, f.check());
        assertEquals(firstLogIndex(store, 3) + 70, f.index());
    }

    private long firstLogIndex(InMemoryLedgerStore store, int testBlock) {
        return store.blocks(registrationBlocks + testBlock, 1).get(0).header().orElseThrow().firstLogIndex();
    }
}
