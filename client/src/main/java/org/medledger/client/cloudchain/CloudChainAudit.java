package org.medledger.client.cloudchain;

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
import org.medledger.ledger.contract.seeds.CloudChainContract;
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
 * The patient's (or an auditor's) check of a smartcard's CLOUD-CHAIN entries on the ledger
 * ({@code GET /api/cloud-chain/patients/{hid}/ledger}): the tree head must be signed by a producer
 * the trust anchors certify, consistent with the head seen before, and every entry must be a
 * {@code cloud-chain} transaction about this {@code HID_i} included under that head.
 */
public final class CloudChainAudit {

    private CloudChainAudit() {
    }

    /** One entry: {@code patient} (by the NA), {@code sc} (by a center) or {@code access-log} (by the cloud server or a center). */
    public record Entry(long logIndex, String function, String submitter, String pid, long tAccess) {
    }

    public record Verified(List<Entry> entries, byte[] anchors, long treeSize, Digest rootHash) {
    }

    public static Verified verify(JsonObject response, String hid, byte[] pinnedAnchors, long previousSize, Digest previousRoot)
            throws AuditFailure {
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
            List<Entry> out = new ArrayList<>();
            for (JsonObject e : response.getJsonArray("entries").getValuesAs(JsonObject.class)) {
                long index = e.getJsonNumber("logIndex").longValue();
                Transaction tx = Transaction.decode(b64.decode(e.getString("transaction")));
                if (!tx.body().contract().equals(CloudChainContract.NAME)) {
                    throw new AuditFailure("entry " + index + " is not a CLOUD-CHAIN entry");
                }
                Arguments a = tx.body().args();
                if (!a.string("hid").equals(hid)) {
                    throw new AuditFailure("entry " + index + " is about another smartcard");
                }
                MerkleProofs.verifyInclusion(LogLeaf.hash(index, tx),
                        new InclusionProof(index, size, digests(e.getJsonArray("inclusionPath"))), size, sth.rootHash());
                String function = tx.body().function();
                out.add(new Entry(index, function, tx.body().submitter(), function.equals("patient") ? "" : a.string("pid"),
                        function.equals("access-log") ? a.number("tAccess") : 0));
            }
            return new Verified(List.copyOf(out), anchorBytes, size, sth.rootHash());
        } catch (ProofException e) {
            throw new AuditFailure("a proof does not verify: " + e.getMessage());
        } catch (LedgerException | IllegalArgumentException | NullPointerException | ClassCastException e) {
            throw new AuditFailure("malformed ledger response: " + e.getMessage());
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
