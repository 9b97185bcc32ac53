package org.medledger.ledger.testing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.medledger.ledger.contract.ContractRegistry;
import org.medledger.ledger.contract.seeds.MemberContract;
import org.medledger.ledger.contract.seeds.SeedContracts;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.member.TrustAnchors;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.node.LedgerConfig;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.store.LedgerStore;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.tx.TxBody;
import org.medledger.ledger.verify.LedgerVerifier;

/**
 * Deterministic test world: KGC and producer keys from fixed seeds, a fixed clock, member keys
 * derived from member ids, helpers to register members and build signed transactions.
 */
public final class Fixture {
    public static final String KGC = "kgc";
    public static final String PRODUCER = "producer-1";
    /** A second block producer of the same deployment (two nodes writing one store). */
    public static final String PRODUCER_2 = "producer-2";
    /** The test deployment's log id (both producers write the same log). */
    public static final String LOG_ID = "medledger-test-log";
    public static final long NOW = Instant.parse("2026-11-21T12:00:00Z").toEpochMilli();
    public static final long YEAR = Duration.ofDays(365).toMillis();

    public final Signer kgcKey = P256SignatureScheme.fromSeed(bytes("kgc"));
    public final Signer producerKey = P256SignatureScheme.fromSeed(bytes("producer"));
    public final Signer producer2Key = P256SignatureScheme.fromSeed(bytes("producer-2"));
    public final Clock clock;
    public final TrustAnchors anchors;
    public final ContractRegistry contracts;
    private final AtomicLong nonce = new AtomicLong();
    private final Map<String, Signer> keys = new ConcurrentHashMap<>();

    public Fixture() {
        this(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    }

    public Fixture(Clock clock) {
        this.clock = clock;
        MemberCertificate producerCert = MemberCertificate.issue(kgcKey, PRODUCER, Role.BLOCK_PRODUCER, producerKey.publicKey(), NOW - YEAR, NOW + 10 * YEAR);
        MemberCertificate producer2Cert = MemberCertificate.issue(kgcKey, PRODUCER_2, Role.BLOCK_PRODUCER, producer2Key.publicKey(), NOW - YEAR, NOW + 10 * YEAR);
        this.anchors = new TrustAnchors(KGC, org.medledger.ledger.codec.Bytes.of(kgcKey.publicKey()), List.of(producerCert, producer2Cert));
        this.contracts = SeedContracts.registry(anchors, P256SignatureScheme.INSTANCE);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public LedgerConfig config() {
        return LedgerConfig.defaults(anchors, contracts, P256SignatureScheme.INSTANCE, PRODUCER, producerKey, clock)
                .withBlockCutting(500, Duration.ofMillis(5)).withLogId(LOG_ID);
    }

    /** The configuration of the second producer's node. */
    public LedgerConfig config2() {
        return LedgerConfig.defaults(anchors, contracts, P256SignatureScheme.INSTANCE, PRODUCER_2, producer2Key, clock)
                .withBlockCutting(500, Duration.ofMillis(5)).withLogId(LOG_ID);
    }

    public Ledger open(LedgerStore store) {
        return Ledger.open(store, config());
    }

    public LedgerVerifier verifier() {
        return new LedgerVerifier(anchors, contracts, P256SignatureScheme.INSTANCE);
    }

    /** The member's own key (derived from its id); the KGC never sees it, it only certifies the public half. */
    public Signer key(String memberId) {
        return memberId.equals(KGC) ? kgcKey : keys.computeIfAbsent(memberId, id -> P256SignatureScheme.fromSeed(bytes("member:" + id)));
    }

    public MemberCertificate certificate(String memberId, Role role) {
        return MemberCertificate.issue(kgcKey, memberId, role, key(memberId).publicKey(), NOW - YEAR, NOW + YEAR);
    }

    /** A signed transaction by {@code submitter} at the fixture's time. */
    public Transaction tx(String submitter, String contract, String function, Arguments args) {
        return new TxBody(submitter, contract, function, args, clock.millis(), nonce.incrementAndGet()).sign(key(submitter));
    }

    public Transaction endorse(Transaction tx, String... endorsers) {
        Transaction t = tx;
        for (String e : endorsers) {
            t = t.endorse(e, key(e));
        }
        return t;
    }

    /** The registration transaction the KGC submits and endorses. */
    public Transaction registration(String memberId, Role role) {
        return endorse(tx(KGC, MemberContract.NAME, "register",
                Arguments.builder().put("certificate", certificate(memberId, role).encode()).build()), KGC);
    }

    public Receipt register(Ledger ledger, String memberId, Role role) {
        return ledger.submitAndWait(registration(memberId, role));
    }
}
