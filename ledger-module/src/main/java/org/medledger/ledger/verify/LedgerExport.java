package org.medledger.ledger.verify;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.store.LedgerStore;
import org.medledger.ledger.store.StateEntry;
import org.medledger.ledger.store.StoredBlock;
import org.medledger.ledger.store.StoredTransaction;
import org.medledger.ledger.tx.Transaction;

/**
 * A self-contained file of a chain as stored (tree heads, then blocks with their rows, then
 * transaction rows beyond the blocks and the world-state rows), so an auditor can run the
 * verifier without database access. Rows are copied verbatim, including tampered ones: the file
 * proves nothing by itself, the verifier does.
 */
public final class LedgerExport {
    private static final int MAGIC = 0x4d4c4732; // "MLG2"

    private LedgerExport() {
    }

    public static void write(LedgerStore store, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(store, out);
        }
    }

    public static void write(LedgerStore store, OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
        out.writeInt(MAGIC);
        long from = 0;
        for (List<SignedTreeHead> page = store.treeHeads(from, 1000); !page.isEmpty(); page = store.treeHeads(from, 1000)) {
            for (SignedTreeHead h : page) {
                out.writeByte('H');
                bytes(out, h.encode());
                from = h.treeSize() + 1;
            }
        }
        long next = 0;
        long rowsAfter = 0;
        for (List<StoredBlock> page = store.blocks(next, 100); !page.isEmpty(); page = store.blocks(next, 100)) {
            for (StoredBlock b : page) {
                out.writeByte('B');
                out.writeLong(b.storedNumber());
                bytes(out, b.header().map(BlockHeader::encode).orElse(new byte[0]));
                bytes(out, b.producerSignature().map(Bytes::toArray).orElse(new byte[0]));
                bytes(out, b.storedHash().map(Digest::bytes).orElse(new byte[0]));
                out.writeInt(b.rows().size());
                for (StoredTransaction r : b.rows()) {
                    row(out, r);
                    rowsAfter = Math.max(rowsAfter, r.logIndex() + 1);
                }
                next = b.storedNumber() + 1;
            }
        }
        // Rows beyond every block's rows (no block accounts for them).
        for (List<StoredTransaction> page = store.transactions(rowsAfter, 1000); !page.isEmpty();
             page = store.transactions(rowsAfter, 1000)) {
            for (StoredTransaction r : page) {
                out.writeByte('T');
                row(out, r);
                rowsAfter = r.logIndex() + 1;
            }
        }
        String ns = null;
        String key = null;
        for (List<StateEntry> page = store.stateEntries(null, null, 1000); !page.isEmpty(); page = store.stateEntries(ns, key, 1000)) {
            for (StateEntry e : page) {
                out.writeByte('S');
                out.writeUTF(e.namespace());
                out.writeUTF(e.key());
                out.writeLong(e.version());
                bytes(out, e.value().toArray());
                ns = e.namespace();
                key = e.key();
            }
        }
        out.writeByte('E');
        out.flush();
    }

    private static void row(DataOutputStream out, StoredTransaction r) throws IOException {
        out.writeLong(r.logIndex());
        bytes(out, r.tx().map(Transaction::encode).orElse(new byte[0]));
        bytes(out, r.storedTxId().map(Digest::bytes).orElse(new byte[0]));
        bytes(out, r.storedLeafHash().map(Digest::bytes).orElse(new byte[0]));
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    /** A chain source that streams the file; blocks must be read in increasing order (as the verifier does). */
    public static ChainSource read(Path file) throws IOException {
        return new FileSource(file);
    }

    private static final class FileSource implements ChainSource {
        private final Path file;
        private final List<SignedTreeHead> heads = new ArrayList<>();
        private final List<StoredTransaction> extraRows = new ArrayList<>();
        private final List<StateEntry> state = new ArrayList<>();
        private int stateCursor;
        private DataInputStream in;
        private StoredBlock pending;
        private boolean ended;

        FileSource(Path file) throws IOException {
            this.file = file;
            open();
        }

        private void open() throws IOException {
            if (in != null) {
                in.close();
            }
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            heads.clear();
            extraRows.clear();
            state.clear();
            pending = null;
            ended = false;
            if (in.readInt() != MAGIC) {
                throw new IOException("not a ledger export");
            }
            while (true) {
                int tag = in.readUnsignedByte();
                if (tag == 'H') {
                    try {
                        heads.add(SignedTreeHead.decode(bytes(in)));
                    } catch (RuntimeException e) {
                        // an undecodable head counts as missing
                    }
                } else {
                    pendingTag(tag);
                    return;
                }
            }
        }

        private void pendingTag(int tag) throws IOException {
            if (tag == 'E') {
                ended = true;
            } else if (tag == 'B') {
                pending = block();
            } else if (tag == 'T') {
                extraRows.add(row());
            } else if (tag == 'S') {
                state.add(new StateEntry(in.readUTF(), in.readUTF(), in.readLong(), Bytes.of(bytes(in))));
            } else {
                throw new IOException("corrupt export: tag " + tag);
            }
        }

        private StoredBlock block() throws IOException {
            long number = in.readLong();
            byte[] header = bytes(in);
            byte[] sig = bytes(in);
            byte[] hash = bytes(in);
            int n = in.readInt();
            List<StoredTransaction> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                rows.add(row());
            }
            Optional<BlockHeader> h;
            String err = null;
            try {
                h = Optional.of(BlockHeader.decode(header));
            } catch (RuntimeException e) {
                h = Optional.empty();
                err = e.getMessage();
            }
            return new StoredBlock(number, h, sig.length == 0 ? Optional.empty() : Optional.of(Bytes.of(sig)), digest(hash), rows, err);
        }

        private StoredTransaction row() throws IOException {
            long index = in.readLong();
            byte[] tx = bytes(in);
            byte[] id = bytes(in);
            byte[] leaf = bytes(in);
            Optional<Transaction> t;
            String err = null;
            try {
                t = Optional.of(Transaction.decode(tx));
            } catch (RuntimeException e) {
                t = Optional.empty();
                err = e.getMessage();
            }
            return new StoredTransaction(index, t, digest(id), digest(leaf), err);
        }

        /** Reads past the blocks to the end, where the extra rows and the state are. */
        private void readToEnd() {
            while (!ended) {
                blocks(Long.MAX_VALUE, Integer.MAX_VALUE);
            }
        }

        @Override
        public List<StoredTransaction> transactions(long fromIndex, int limit) {
            readToEnd();
            return extraRows.stream().filter(r -> r.logIndex() >= fromIndex).limit(limit).toList();
        }

        @Override
        public List<StateEntry> state(String afterNamespace, String afterKey, int limit) {
            readToEnd();
            int from = 0;
            if (afterNamespace != null) {
                // Usually the last entry handed out; otherwise search for it.
                from = stateCursor > 0 && isAt(stateCursor - 1, afterNamespace, afterKey) ? stateCursor - 1 : 0;
                while (from < state.size() && !isAt(from, afterNamespace, afterKey)) {
                    from++;
                }
                from++;
            }
            int to = Math.min(state.size(), Math.min(from, state.size()) + limit);
            stateCursor = to;
            return List.copyOf(state.subList(Math.min(from, state.size()), to));
        }

        private boolean isAt(int i, String namespace, String key) {
            return state.get(i).namespace().equals(namespace) && state.get(i).key().equals(key);
        }

        private static Optional<Digest> digest(byte[] b) {
            return b.length == Digest.LENGTH ? Optional.of(Digest.of(b)) : Optional.empty();
        }

        private static byte[] bytes(DataInputStream in) throws IOException {
            int len = in.readInt();
            if (len < 0 || len > (64 << 20)) {
                throw new IOException("corrupt export: field of " + len + " bytes");
            }
            byte[] b = new byte[len];
            in.readFully(b);
            return b;
        }

        @Override
        public List<StoredBlock> blocks(long fromNumber, int limit) {
            try {
                if (pending != null && pending.storedNumber() > fromNumber) {
                    open();
                }
                List<StoredBlock> out = new ArrayList<>();
                while (!ended && out.size() < limit) {
                    if (pending == null) {
                        pendingTag(in.readUnsignedByte());
                        continue;
                    }
                    if (pending.storedNumber() >= fromNumber) {
                        out.add(pending);
                    }
                    pending = null;
                }
                return out;
            } catch (EOFException e) {
                ended = true;
                return List.of();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public List<SignedTreeHead> treeHeads(long fromSize, int limit) {
            return heads.stream().filter(h -> h.treeSize() >= fromSize).limit(limit).toList();
        }
    }

}
