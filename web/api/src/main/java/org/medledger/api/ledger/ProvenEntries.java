package org.medledger.api.ledger;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.medledger.audit.EntryProof;
import org.medledger.consensus.LedgerNode;
import org.medledger.consortium.WitnessedTreeHead;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.log.LogLeaf;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.store.StoredTransaction;
import org.medledger.ledger.tx.Transaction;
import org.medledger.platform.DomainException;

/**
 * The one shape of every answer that hands a client ledger entries to check on its own (a
 * patient's accesses, a smartcard's CLOUD-CHAIN entries, a care circle's history; verified by
 * the client's {@code LedgerAnswer}): the signed tree head, the ledger's trust anchors, each entry's
 * transaction with its inclusion path, and the consistency proof from tree size {@code since}.
 * In a consortium the head is the latest one a quorum of hospitals co-signed, sent with its
 * co-signatures ({@code witnessed}) and the membership they are checked against; until such a
 * head exists the answer is {@code NOT_WITNESSED}, never an unwitnessed head.
 */
public final class ProvenEntries {

    private ProvenEntries() {
    }

    /** The entries of an answer, with their proofs, in the tree of {@code treeSize} entries. */
    @FunctionalInterface
    public interface Source {
        List<EntryProof> upTo(long treeSize) throws DomainException;
    }

    /** The answer for {@code source}, proven against the head every verifier must accept. */
    public static Response answer(LedgerNode ledger, long since, Source source) throws DomainException {
        Optional<WitnessedTreeHead> witnessed = ledger.witnessedHead();
        if (ledger.inConsortium() && witnessed.isEmpty()) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "NOT_WITNESSED",
                    "no tree head has a quorum of hospital co-signatures yet");
        }
        SignedTreeHead sth = witnessed.map(WitnessedTreeHead::head).or(ledger::latestTreeHead)
                .orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "EMPTY_LEDGER", "the ledger has no block yet"));
        long size = sth.treeSize();
        if (since < 0 || since > size) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_TREE_SIZE",
                    "since must be between 0 and the current tree size " + size);
        }
        Base64.Encoder b64 = Base64.getEncoder();
        JsonArrayBuilder entries = Json.createArrayBuilder();
        for (EntryProof e : source.upTo(size)) {
            JsonArrayBuilder path = Json.createArrayBuilder();
            e.path().forEach(d -> path.add(HexFormat.of().formatHex(d)));
            entries.add(Json.createObjectBuilder().add("logIndex", e.logIndex())
                    .add("transaction", b64.encodeToString(e.transaction())).add("inclusionPath", path));
        }
        JsonObjectBuilder out = Json.createObjectBuilder()
                .add("treeHead", b64.encodeToString(sth.encode()))
                .add("treeSize", size)
                .add("anchors", b64.encodeToString(ledger.anchors().encode()))
                .add("entries", entries);
        if (witnessed.isPresent()) {
            out.add("witnessed", b64.encodeToString(witnessed.get().encode()))
                    .add("membership", b64.encodeToString(ledger.consortium().orElseThrow().encode()));
        }
        if (since > 0) {
            JsonArrayBuilder path = Json.createArrayBuilder();
            for (Digest d : ledger.consistencyProof(since, size).path()) {
                path.add(d.hex());
            }
            out.add("consistency", Json.createObjectBuilder().add("firstSize", since).add("secondSize", size).add("path", path));
        }
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(out.build().toString(), MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore).build();
    }

    /** The entries at {@code logIndexes} that the tree of the answer holds, each with its inclusion proof. */
    public static Source at(LedgerNode ledger, List<Long> logIndexes) {
        return size -> {
            List<EntryProof> out = new ArrayList<>();
            for (long i : logIndexes) {
                if (i >= size) {
                    continue;
                }
                Transaction tx = ledger.transaction(i).flatMap(StoredTransaction::tx).orElseThrow(() -> new DomainException(
                        DomainException.Kind.UNAVAILABLE, "LEDGER_INCOMPLETE", "an indexed entry is missing from the ledger"));
                out.add(new EntryProof(i, size, LogLeaf.data(i, tx),
                        ledger.inclusionProof(i, size).path().stream().map(Digest::bytes).toList(), tx.encode()));
            }
            return out;
        };
    }
}
