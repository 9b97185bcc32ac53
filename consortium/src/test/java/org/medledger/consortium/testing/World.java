package org.medledger.consortium.testing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

import org.h2.jdbcx.JdbcDataSource;
import org.medledger.consortium.Consortium;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.ContractRegistry;
import org.medledger.ledger.contract.seeds.MemberContract;
import org.medledger.ledger.contract.seeds.SeedContracts;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.member.TrustAnchors;
import org.medledger.ledger.store.jpa.JpaLedgerStore;
import org.medledger.ledger.store.jpa.LedgerSchema;
import org.medledger.ledger.store.jpa.ResourceLocalTransactions;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.tx.TxBody;

/**
 * A consortium of hospitals for tests: KGC and hospital keys from fixed seeds (each hospital's
 * key is its own; the KGC only certifies it), the system clock (Raft needs real time), and
 * helpers for signed transactions and H2 stores.
 */
public final class World {
    public static final String KGC = "kgc";
    public static final long YEAR = Duration.ofDays(365).toMillis();

    public final Clock clock = Clock.systemUTC();
    public final long now;
    public final Signer kgcKey = P256SignatureScheme.fromSeed(bytes("kgc"));
    public final List<String> hospitals;
    public final Map<String, Signer> hospitalKeys = new HashMap<>();
    public final TrustAnchors anchors;
    public final ContractRegistry contracts;
    public final Consortium consortium;
    private final AtomicLong nonce = new AtomicLong();
    private final Map<String, Signer> memberKeys = new java.util.concurrent.ConcurrentHashMap<>();

    public World(int n) {
        this(n, Clock.systemUTC().millis());
    }

    /** {@code now}: the certificates' reference time; processes that share it build the same consortium. */
    public World(int n, long now) {
        this.now = now;
        hospitals = new ArrayList<>();
        List<MemberCertificate> certs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String h = "hospital-" + (char) ('a' + i);
            hospitals.add(h);
            Signer k = P256SignatureScheme.fromSeed(bytes("node:" + h));
            hospitalKeys.put(h, k);
            certs.add(MemberCertificate.issue(kgcKey, h, Role.BLOCK_PRODUCER, k.publicKey(), now - YEAR, now + 10 * YEAR));
        }
        anchors = new TrustAnchors(KGC, Bytes.of(kgcKey.publicKey()), certs);
        contracts = org.medledger.consortium.MembershipContract.with(SeedContracts.registry(anchors, P256SignatureScheme.INSTANCE), anchors, P256SignatureScheme.INSTANCE);
        consortium = Consortium.majorityOf(anchors, hospitals, contracts, P256SignatureScheme.INSTANCE);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public Signer key(String member) {
        return member.equals(KGC) ? kgcKey : memberKeys.computeIfAbsent(member, m -> P256SignatureScheme.fromSeed(bytes("member:" + m)));
    }

    /** The KGC registers {@code member} (submitted and endorsed by the KGC): a valid transaction on an empty ledger. */
    public Transaction registration(String member, Role role) {
        MemberCertificate cert = MemberCertificate.issue(kgcKey, member, role, key(member).publicKey(), now - YEAR, now + YEAR);
        Transaction tx = new TxBody(KGC, MemberContract.NAME, "register", Arguments.builder().put("certificate", cert.encode()).build(),
                clock.millis(), nonce.incrementAndGet()).sign(kgcKey);
        return tx.endorse(KGC, kgcKey);
    }

    public static String h2File(java.nio.file.Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath() + ";WRITE_DELAY=0;REUSE_SPACE=FALSE;AUTO_COMPACT_FILL_RATE=0";
    }

    /** A JPA ledger store over H2 with its factory; closing closes both. */
    public record Store(JpaLedgerStore store, EntityManagerFactory emf, String url) implements AutoCloseable {
        public static Store open(String url) {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL(url);
            ds.setUser("sa");
            ds.setPassword("");
            LedgerSchema.migrate(ds);
            Map<String, Object> p = new HashMap<>();
            p.put("jakarta.persistence.jdbc.url", url);
            p.put("jakarta.persistence.jdbc.user", "sa");
            p.put("jakarta.persistence.jdbc.password", "");
            EntityManagerFactory emf = Persistence.createEntityManagerFactory("medledger-consortium-test", p);
            return new Store(new JpaLedgerStore(new ResourceLocalTransactions(emf)), emf, url);
        }

        /** Runs SQL directly against the database (to tamper with it). */
        public int sql(String statement) throws java.sql.SQLException {
            try (var c = java.sql.DriverManager.getConnection(url, "sa", ""); var s = c.createStatement()) {
                return s.executeUpdate(statement);
            }
        }

        @Override
        public void close() {
            emf.close();
        }
    }
}
