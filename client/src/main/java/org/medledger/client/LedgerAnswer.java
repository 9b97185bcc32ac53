package org.medledger.client;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.medledger.consortium.Consortium;
import org.medledger.consortium.ConsortiumException;
import org.medledger.consortium.WitnessPolicy;
import org.medledger.consortium.WitnessedTreeHead;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.contract.ContractRegistry;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.log.LogLeaf;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.TrustAnchors;
import org.medledger.ledger.merkle.ConsistencyProof;
import org.medledger.ledger.merkle.InclusionProof;
import org.medledger.ledger.merkle.MerkleProofs;
import org.medledger.ledger.merkle.ProofException;
import org.medledger.ledger.tx.Transaction;

/**
 * The client's one check of a server's answer of ledger entries with proofs (a patient's
 * accesses, a smartcard's CLOUD-CHAIN entries, a care circle's history), trusting nothing the
 * server says: the trust anchors are the pinned ones (pinned on first use); the tree head is
 * signed by a block producer they certify; on a consortium's ledger (several producers) the head
 * carries a quorum of hospital co-signatures checked against the consortium's membership; the
 * head extends the one seen before (consistency); each entry passes the caller's rule and its leaf
 * is included under the head.
 */
public final class LedgerAnswer {

    private LedgerAnswer() {
    }

    /** The proven entries as the caller read them, and what the device keeps for next time: the anchors and the head it verified. */
    public record Verified<T>(List<T> entries, byte[] anchors, long treeSize, Digest rootHash) {
    }

    /**
     * Reads one entry: refuses it ({@link AuditFailure}) unless it is what the answer promised
     * (its contract, function, subject), else returns what the caller keeps of it.
     */
    @FunctionalInterface
    public interface EntryReader<T> {
        T read(long logIndex, Transaction tx) throws AuditFailure;
    }

    /**
     * @param pinnedAnchors the anchors seen before, or {@code null} on first use
     * @param previousSize  the tree size verified before (0 if none); the answer must carry a consistency proof from it
     * @param previousRoot  that tree head's root, or {@code null}
     */
    public static <T> Verified<T> verify(JsonObject response, byte[] pinnedAnchors, long previousSize, Digest previousRoot,
                                         EntryReader<T> reader) throws AuditFailure {
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] anchorBytes = b64.decode(response.getString("anchors"));
            if (pinnedAnchors != null && !Arrays.equals(pinnedAnchors, anchorBytes)) {
                throw new AuditFailure("the ledger's trust anchors changed since they were pinned");
            }
            TrustAnchors anchors = TrustAnchors.decode(anchorBytes).validated(P256SignatureScheme.INSTANCE);
            SignedTreeHead sth = SignedTreeHead.decode(b64.decode(response.getString("treeHead")));
            MemberCertificate producer = anchors.producer(sth.signer(), sth.timestamp());
            if (!sth.verify(producer.publicKey(), P256SignatureScheme.INSTANCE)) {
                throw new AuditFailure("the tree head is not signed by the certified producer");
            }
            requireWitnessed(response, anchors, anchorBytes, sth);
            long size = sth.treeSize();
            if (previousSize > 0) {
                if (!response.containsKey("consistency")) {
                    throw new AuditFailure("no consistency proof from the tree head seen before");
                }
                JsonObject c = response.getJsonObject("consistency");
                if (c.getJsonNumber("firstSize").longValue() != previousSize || c.getJsonNumber("secondSize").longValue() != size) {
                    throw new AuditFailure("the consistency proof is for other tree sizes");
                }
                MerkleProofs.verifyConsistency(new ConsistencyProof(previousSize, size, digests(c.getJsonArray("path"))),
                        previousSize, previousRoot, size, sth.rootHash());
            }
            List<T> out = new ArrayList<>();
            for (JsonObject e : response.getJsonArray("entries").getValuesAs(JsonObject.class)) {
                long index = e.getJsonNumber("logIndex").longValue();
                Transaction tx = Transaction.decode(b64.decode(e.getString("transaction")));
                T entry = reader.read(index, tx);
                MerkleProofs.verifyInclusion(LogLeaf.hash(index, tx),
                        new InclusionProof(index, size, digests(e.getJsonArray("inclusionPath"))), size, sth.rootHash());
                out.add(entry);
            }
            return new Verified<>(List.copyOf(out), anchorBytes, size, sth.rootHash());
        } catch (ProofException e) {
            throw new AuditFailure("a proof does not verify: " + e.getMessage());
        } catch (LedgerException | IllegalArgumentException | NullPointerException | ClassCastException e) {
            throw new AuditFailure("malformed ledger answer: " + e.getMessage());
        }
    }

    /**
     * A ledger of several block producers is a consortium's: its head counts only with a quorum of
     * hospital co-signatures ({@code witnessed}), checked here against the consortium's membership,
     * whose anchors must be the pinned ones (docs/consortium.md).
     */
    private static void requireWitnessed(JsonObject response, TrustAnchors anchors, byte[] anchorBytes, SignedTreeHead sth)
            throws AuditFailure {
        if (anchors.producers().size() < 2 && !response.containsKey("witnessed")) {
            return;
        }
        if (!response.containsKey("witnessed") || !response.containsKey("membership")) {
            throw new AuditFailure("a consortium's tree head without its witnesses' co-signatures");
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            Consortium membership = Consortium.decode(b64.decode(response.getString("membership")), ContractRegistry.of(),
                    P256SignatureScheme.INSTANCE);
            if (!Arrays.equals(membership.anchors().encode(), anchorBytes)) {
                throw new AuditFailure("the consortium's membership names other trust anchors");
            }
            WitnessedTreeHead w = WitnessedTreeHead.decode(b64.decode(response.getString("witnessed")));
            if (!Arrays.equals(w.head().encode(), sth.encode())) {
                throw new AuditFailure("the witnessed head is not the tree head of the answer");
            }
            new WitnessPolicy(membership).check(w);
        } catch (ConsortiumException e) {
            throw new AuditFailure("the tree head has no quorum of hospital co-signatures: " + e.getMessage());
        }
    }

    private static List<Digest> digests(JsonArray a) {
        List<Digest> out = new ArrayList<>();
        for (JsonString s : a.getValuesAs(JsonString.class)) {
            out.add(Digest.fromHex(s.getString()));
        }
        return out;
    }
}
