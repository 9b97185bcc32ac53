package org.medledger.ledger.store.jpa;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.block.Block;
import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.VersionedValue;
import org.medledger.ledger.store.BlockCommit;
import org.medledger.ledger.store.LedgerStore;
import org.medledger.ledger.store.StoredBlock;
import org.medledger.ledger.store.StoredTransaction;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.tx.TxBody;

/**
 * {@link LedgerStore} over JPA. One block append = one transaction: the block row, its
 * transaction rows, state upserts and the tree head. Reads map rows to records right here;
 * a row that no longer decodes is reported as such, not thrown.
 */
public final class JpaLedgerStore implements LedgerStore {
    private static final String READ_ONLY = "org.hibernate.readOnly";

    private final JpaTransactions tx;

    public JpaLedgerStore(JpaTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<BlockHeader> head() {
        return tx.inTransaction(em -> em.createQuery("select b from BlockRow b order by b.number desc", BlockRow.class)
                .setHint(READ_ONLY, true).setMaxResults(1).getResultStream().findFirst().map(JpaLedgerStore::header));
    }

    @Override
    public void append(BlockCommit commit) {
        BlockHeader h = commit.block().header();
        try {
            tx.inTransaction(em -> {
                Long last = em.createQuery("select max(b.number) from BlockRow b", Long.class).getSingleResult();
                long expected = last == null ? 0 : last + 1;
                if (h.number() != expected) {
                    throw new LedgerException(LedgerReason.FORK, "block " + h.number() + " does not extend stored block " + last);
                }
                // The block row first: a second writer racing for this number waits on its key here and is
                // refused (FORK) before either touched a state row, so the two can never deadlock.
                em.persist(blockRow(commit));
                em.flush();
                // Then the updates (each is one statement), so the inserts below stay in JDBC batches.
                for (Map.Entry<StateKey, VersionedValue> w : commit.stateWrites().entrySet()) {
                    StateKey k = w.getKey();
                    if (!commit.createdKeys().contains(k)) {
                        int n = em.createQuery("update StateRow s set s.version = :v, s.value = :val where s.namespace = :ns and s.key = :k")
                                .setParameter("v", w.getValue().version()).setParameter("val", w.getValue().value().toArray())
                                .setParameter("ns", k.namespace()).setParameter("k", k.key()).executeUpdate();
                        if (n != 1) {
                            throw new LedgerException(LedgerReason.STORE_FAILURE, "state key " + k + " expected to exist");
                        }
                    }
                }
                List<Transaction> txs = commit.block().transactions();
                for (int i = 0; i < txs.size(); i++) {
                    em.persist(txRow(h.number(), h.firstLogIndex() + i, txs.get(i), commit.leafHashes().get(i)));
                }
                for (Map.Entry<StateKey, VersionedValue> w : commit.stateWrites().entrySet()) {
                    StateKey k = w.getKey();
                    if (commit.createdKeys().contains(k)) {
                        StateRow row = new StateRow();
                        row.namespace = k.namespace();
                        row.key = k.key();
                        row.version = w.getValue().version();
                        row.value = w.getValue().value().toArray();
                        em.persist(row);
                    }
                }
                em.persist(treeHeadRow(commit.treeHead()));
                em.flush();
                return null;
            });
        } catch (RuntimeException e) {
            // In a container the unit of work may wrap what it throws (EJBException, rollback exceptions):
            // the ledger's own refusal or the database's constraint violation is looked for in the causes.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof LedgerException le) {
                    throw le;
                }
            }
            if (isConstraintViolation(e)) {
                throw new LedgerException(LedgerReason.FORK, "another writer stored block " + h.number(), e);
            }
            throw new LedgerException(LedgerReason.STORE_FAILURE, "append of block " + h.number() + " failed", e);
        }
    }

    private static boolean isConstraintViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<StoredBlock> blocks(long fromNumber, int limit) {
        return tx.inTransaction(em -> {
            List<BlockRow> bs = em.createQuery("select b from BlockRow b where b.number >= :from order by b.number", BlockRow.class)
                    .setParameter("from", fromNumber).setMaxResults(limit).setHint(READ_ONLY, true).getResultList();
            if (bs.isEmpty()) {
                return List.of();
            }
            Map<Long, List<StoredTransaction>> rows = new LinkedHashMap<>();
            bs.forEach(b -> rows.put(b.number, new ArrayList<>()));
            em.createQuery("select t from TxRow t where t.blockNumber between :lo and :hi order by t.logIndex", TxRow.class)
                    .setParameter("lo", bs.get(0).number).setParameter("hi", bs.get(bs.size() - 1).number)
                    .setHint(READ_ONLY, true).getResultList()
                    .forEach(t -> {
                        List<StoredTransaction> l = rows.get(t.blockNumber);
                        if (l != null) {
                            l.add(stored(t));
                        }
                    });
            List<StoredBlock> out = new ArrayList<>();
            for (BlockRow b : bs) {
                Optional<BlockHeader> header;
                String error = null;
                try {
                    header = Optional.of(header(b));
                } catch (RuntimeException e) {
                    header = Optional.empty();
                    error = e.getMessage();
                }
                out.add(new StoredBlock(b.number, header, Optional.of(Bytes.of(b.producerSignature)), digest(b.blockHash),
                        rows.get(b.number), error));
            }
            return out;
        });
    }

    @Override
    public Optional<StoredTransaction> transaction(long logIndex) {
        return tx.inTransaction(em -> Optional.ofNullable(em.find(TxRow.class, logIndex)).map(JpaLedgerStore::stored));
    }

    @Override
    public boolean containsTransaction(Digest txId) {
        return tx.inTransaction(em -> em.createQuery("select count(t) from TxRow t where t.txId = :id", Long.class)
                .setParameter("id", txId.bytes()).getSingleResult() > 0);
    }

    @Override
    public Optional<TxPosition> position(Digest txId) {
        return tx.inTransaction(em -> em.createQuery("select t.logIndex, t.blockNumber from TxRow t where t.txId = :id", Object[].class)
                .setParameter("id", txId.bytes()).setMaxResults(1).getResultList().stream()
                .map(r -> new TxPosition((Long) r[0], (Long) r[1])).findFirst());
    }

    /**
     * Most ids per IN list. A list is padded to the next power of two (repeating an id), so a
     * handful of statements and query plans serve every block size.
     */
    private static final int ID_CHUNK = 256;

    @Override
    public java.util.Set<Digest> storedTransactions(java.util.Collection<Digest> ids) {
        if (ids.isEmpty()) {
            return java.util.Set.of();
        }
        List<byte[]> all = ids.stream().map(Digest::bytes).toList();
        return tx.inTransaction(em -> {
            java.util.Set<Digest> out = new java.util.HashSet<>();
            jakarta.persistence.TypedQuery<byte[]> q = em.createQuery("select t.txId from TxRow t where t.txId in :ids", byte[].class);
            for (int i = 0; i < all.size(); i += ID_CHUNK) {
                List<byte[]> chunk = new java.util.ArrayList<>(all.subList(i, Math.min(all.size(), i + ID_CHUNK)));
                int padded = Integer.highestOneBit(chunk.size() * 2 - 1);
                while (chunk.size() < padded) {
                    chunk.add(chunk.get(0)); // a repeated id changes nothing in an IN list
                }
                q.setParameter("ids", chunk).getResultList().forEach(b -> out.add(Digest.of(b)));
            }
            return out;
        });
    }

    @Override
    public List<Digest> leafHashes(long fromIndex, int limit) {
        return tx.inTransaction(em -> em.createQuery("select t.leafHash from TxRow t where t.logIndex >= :from order by t.logIndex", byte[].class)
                .setParameter("from", fromIndex).setMaxResults(limit).getResultList().stream().map(Digest::of).toList());
    }

    @Override
    public List<StoredTransaction> transactions(long fromIndex, int limit) {
        return tx.inTransaction(em -> em.createQuery("select t from TxRow t where t.logIndex >= :from order by t.logIndex", TxRow.class)
                .setParameter("from", fromIndex).setMaxResults(limit).setHint(READ_ONLY, true).getResultList().stream()
                .map(JpaLedgerStore::stored).toList());
    }

    @Override
    public List<org.medledger.ledger.store.StateEntry> stateEntries(String afterNamespace, String afterKey, int limit) {
        return tx.inTransaction(em -> {
            TypedQuery<StateRow> q = afterNamespace == null
                    ? em.createQuery("select s from StateRow s order by s.namespace, s.key", StateRow.class)
                    : em.createQuery("select s from StateRow s where s.namespace > :ns or (s.namespace = :ns and s.key > :k)"
                            + " order by s.namespace, s.key", StateRow.class).setParameter("ns", afterNamespace).setParameter("k", afterKey);
            return q.setMaxResults(limit).setHint(READ_ONLY, true).getResultList().stream()
                    .map(r -> new org.medledger.ledger.store.StateEntry(r.namespace, r.key, r.version,
                            Bytes.of(r.value == null ? new byte[0] : r.value)))
                    .toList();
        });
    }

    @Override
    public List<SignedTreeHead> treeHeads(long fromSize, int limit) {
        return tx.inTransaction(em -> heads(em.createQuery("select h from TreeHeadRow h where h.treeSize >= :from order by h.treeSize", TreeHeadRow.class)
                .setParameter("from", fromSize).setMaxResults(limit)));
    }

    @Override
    public Optional<SignedTreeHead> latestTreeHead() {
        return tx.inTransaction(em -> heads(em.createQuery("select h from TreeHeadRow h order by h.treeSize desc", TreeHeadRow.class)
                .setMaxResults(1))).stream().findFirst();
    }

    private static List<SignedTreeHead> heads(TypedQuery<TreeHeadRow> q) {
        List<SignedTreeHead> out = new ArrayList<>();
        for (TreeHeadRow r : q.setHint(READ_ONLY, true).getResultList()) {
            try {
                out.add(new SignedTreeHead(r.logId, r.treeSize, Digest.of(r.rootHash), r.timestamp, r.signer, Digest.of(r.keyId),
                        Bytes.of(r.signature)));
            } catch (RuntimeException e) {
                // An undecodable head is left out; the verifier reports the missing head.
            }
        }
        return out;
    }

    @Override
    public List<StateKey> stateKeys(StateKey after, int limit) {
        return tx.inTransaction(em -> {
            jakarta.persistence.TypedQuery<Object[]> q = after == null
                    ? em.createQuery("select s.namespace, s.key from StateRow s order by s.namespace, s.key", Object[].class)
                    : em.createQuery("select s.namespace, s.key from StateRow s where s.namespace > :ns or (s.namespace = :ns and s.key > :k)"
                            + " order by s.namespace, s.key", Object[].class).setParameter("ns", after.namespace()).setParameter("k", after.key());
            return q.setMaxResults(limit).getResultList().stream().map(r -> new StateKey((String) r[0], (String) r[1])).toList();
        });
    }

    @Override
    public Optional<VersionedValue> get(StateKey key) {
        return tx.inTransaction(em -> Optional.ofNullable(em.find(StateRow.class, new StateRow.Key(key.namespace(), key.key())))
                .map(r -> new VersionedValue(r.version, Bytes.of(r.value))));
    }

    @Override
    public void close() {
        // the EntityManagerFactory belongs to the caller
    }

    private static BlockRow blockRow(BlockCommit c) {
        Block b = c.block();
        BlockHeader h = b.header();
        BlockRow r = new BlockRow();
        r.number = h.number();
        r.blockHash = c.blockHash().bytes();
        r.previousHash = h.previousHash().bytes();
        r.txRoot = h.txRoot().bytes();
        r.firstLogIndex = h.firstLogIndex();
        r.txCount = h.txCount();
        r.logRoot = h.logRoot().bytes();
        r.createdAt = h.createdAt();
        r.firstTxTime = h.firstTxTime();
        r.lastTxTime = h.lastTxTime();
        r.producer = h.producer();
        r.nonce = h.nonce();
        r.difficultyBits = h.difficultyBits();
        r.producerSignature = b.producerSignature().toArray();
        return r;
    }

    private static BlockHeader header(BlockRow r) {
        return new BlockHeader(r.number, Digest.of(r.previousHash), Digest.of(r.txRoot), r.firstLogIndex, r.txCount,
                Digest.of(r.logRoot), r.createdAt, r.firstTxTime, r.lastTxTime, r.producer, r.nonce, r.difficultyBits);
    }

    private static TxRow txRow(long block, long index, Transaction t, Digest leaf) {
        TxRow r = new TxRow();
        r.logIndex = index;
        r.blockNumber = block;
        r.txId = t.id().bytes();
        r.submitter = t.body().submitter();
        r.contract = t.body().contract();
        r.function = t.body().function();
        r.arguments = t.body().args().encode();
        r.timestamp = t.body().timestamp();
        r.nonce = t.body().nonce();
        r.signature = t.signature().toArray();
        r.endorsements = Transaction.encodeEndorsements(t.endorsements());
        r.leafHash = leaf.bytes();
        return r;
    }

    private static StoredTransaction stored(TxRow r) {
        Optional<Transaction> t;
        String error = null;
        try {
            TxBody body = new TxBody(r.submitter, r.contract, r.function, Arguments.decode(r.arguments), r.timestamp, r.nonce);
            t = Optional.of(new Transaction(body, Bytes.of(r.signature), Transaction.decodeEndorsements(r.endorsements)));
        } catch (RuntimeException e) {
            t = Optional.empty();
            error = e.getMessage();
        }
        return new StoredTransaction(r.logIndex, t, digest(r.txId), digest(r.leafHash), error);
    }

    private static TreeHeadRow treeHeadRow(SignedTreeHead s) {
        TreeHeadRow r = new TreeHeadRow();
        r.treeSize = s.treeSize();
        r.rootHash = s.rootHash().bytes();
        r.timestamp = s.timestamp();
        r.signer = s.signer();
        r.logId = s.logId();
        r.keyId = s.keyId().bytes();
        r.signature = s.signature().toArray();
        return r;
    }

    private static Optional<Digest> digest(byte[] b) {
        return b != null && b.length == Digest.LENGTH ? Optional.of(Digest.of(b)) : Optional.empty();
    }
}
