package org.medledger.client.emrauth;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.medledger.client.AuditFailure;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.contract.seeds.AccessContract;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.log.LogLeaf;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.TrustAnchors;
import org.medledger.ledger.merkle.ConsistencyProof;
import org.medledger.ledger.merkle.InclusionProof;
import org.medledger.ledger.merkle.MerkleProofs;
import org.medledger.ledger.merkle.ProofException;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;

/**
 * The patient's own check of its access list, trusting nothing the server says: the tree head
 * must be signed by a block producer the ledger's trust anchors certify (anchors pinned on first
 * use), every entry must be an {@code access.record} transaction about this patient whose leaf is
 * included under that head, and the head must extend the one the device saw last (consistency).
 * On a consortium's ledger (several producers) the head must also carry a quorum of hospital
 * co-signatures.
 */
public final class AccessAudit {

    private AccessAudit() {
    }

    /** One verified access entry. */
    public record Access(long logIndex, String holderId, String accessorId, String outcome, String reason, long at) {
    }

    /** What the device keeps for next time: the anchors and the head it verified. */
    public record Verified(List<Access> accesses, byte[] anchors, long treeSize, Digest rootHash) {
    }


    /**
     * @param pinnedAnchors the anchors seen before, or {@code null} on first use
     * @param previousSize  the tree size verified before (0 if none); the response must carry a consistency proof from it
     * @param previousRoot  that tree head's root, or {@code null}
     */
    public static Verified verify(JsonObject response, String patientId, byte[] pinnedAnchors, long previousSize,
                                  Digest previousRoot) throws AuditFailure {
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
            List<Access> out = new ArrayList<>();
            for (JsonObject e : response.getJsonArray("entries").getValuesAs(JsonObject.class)) {
                long index = e.getJsonNumber("logIndex").longValue();
                Transaction tx = Transaction.decode(b64.decode(e.getString("transaction")));
                if (!tx.body().contract().equals(AccessContract.NAME) || !tx.body().function().equals("record")) {
                    throw new AuditFailure("entry " + index + " is not an access entry");
                }
                Arguments a = tx.body().args();
                if (!a.string("patientId").equals(patientId)) {
                    throw new AuditFailure("entry " + index + " is about another patient");
                }
                MerkleProofs.verifyInclusion(LogLeaf.hash(index, tx),
                        new InclusionProof(index, size, digests(e.getJsonArray("inclusionPath"))), size, sth.rootHash());
                out.add(new Access(index, a.string("holderId"), a.string("accessorId"), a.string("outcome"), a.string("reason"),
                        a.number("at")));
            }
            return new Verified(List.copyOf(out), anchorBytes, size, sth.rootHash());
        } catch (ProofException e) {
            throw new AuditFailure("a proof does not verify: " + e.getMessage());
        } catch (LedgerException | IllegalArgumentException | NullPointerException | ClassCastException e) {
            throw new AuditFailure("malformed audit response: " + e.getMessage());
        }
    }

    /**
     * A ledger of several block producers is a consortium's: its head counts only with a quorum of
     * hospital co-signatures ({@code witnessed}), checked here against the consortium's membership,
     * whose anchors must be the pinned ones (docs/consortium.md).
     */
    static void requireWitnessed(JsonObject response, TrustAnchors anchors, byte[] anchorBytes, SignedTreeHead sth) throws AuditFailure {
        if (anchors.producers().size() < 2 && !response.containsKey("witnessed")) {
            return;
        }
        if (!response.containsKey("witnessed") || !response.containsKey("membership")) {
            throw new AuditFailure("a consortium's tree head without its witnesses' co-signatures");
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            org.medledger.consortium.Consortium membership = org.medledger.consortium.Consortium.decode(
                    b64.decode(response.getString("membership")), org.medledger.ledger.contract.ContractRegistry.of(),
                    P256SignatureScheme.INSTANCE);
            if (!Arrays.equals(membership.anchors().encode(), anchorBytes)) {
                throw new AuditFailure("the consortium's membership names other trust anchors");
            }
            org.medledger.consortium.WitnessedTreeHead w = org.medledger.consortium.WitnessedTreeHead.decode(
                    b64.decode(response.getString("witnessed")));
            if (!Arrays.equals(w.head().encode(), sth.encode())) {
                throw new AuditFailure("the witnessed head is not the tree head of the answer");
            }
            new org.medledger.consortium.WitnessPolicy(membership).check(w);
        } catch (org.medledger.consortium.ConsortiumException e) {
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
