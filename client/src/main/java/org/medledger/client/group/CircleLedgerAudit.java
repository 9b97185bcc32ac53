package org.medledger.client.group;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.medledger.client.AuditFailure;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.contract.seeds.GroupAggContract;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.log.LogLeaf;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.TrustAnchors;
import org.medledger.ledger.merkle.InclusionProof;
import org.medledger.ledger.merkle.MerkleProofs;
import org.medledger.ledger.merkle.ProofException;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;

/**
 * A member's check of its circle's history on the ledger, trusting nothing the server says: the
 * tree head signed by a producer the trust anchors certify, every entry a {@code group-agg}
 * transaction of this circle (membership change or upload) included under that head.
 */
public final class CircleLedgerAudit {

    private CircleLedgerAudit() {
    }

    /** One verified entry: which function, who signed it, and the member (join, leave) or record kind (upload). */
    public record Entry(long logIndex, String function, String submitter, String subject) {
        @Override
        public String toString() {
            return function + "|" + submitter + "|" + subject;
        }
    }


    /**
     * @param pinnedAnchors the ledger's anchors as the device pinned them (or {@code null} on first use)
     * @param patientId     the circle's owner: EHR and EMR uploads are addressed to it
     */
    public static List<Entry> verify(JsonObject response, String groupId, String patientId, byte[] pinnedAnchors) throws AuditFailure {
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] anchorBytes = b64.decode(response.getString("anchors"));
            if (pinnedAnchors != null && !java.util.Arrays.equals(pinnedAnchors, anchorBytes)) {
                throw new AuditFailure("the ledger's trust anchors changed since they were pinned");
            }
            TrustAnchors anchors = TrustAnchors.decode(anchorBytes).validated(P256SignatureScheme.INSTANCE);
            SignedTreeHead sth = SignedTreeHead.decode(b64.decode(response.getString("treeHead")));
            MemberCertificate producer = anchors.producer(sth.signer(), sth.timestamp());
            if (!sth.verify(producer.publicKey(), P256SignatureScheme.INSTANCE)) {
                throw new AuditFailure("the tree head is not signed by the certified producer");
            }
            List<Entry> out = new ArrayList<>();
            for (JsonObject e : response.getJsonArray("entries").getValuesAs(JsonObject.class)) {
                long index = e.getJsonNumber("logIndex").longValue();
                Transaction tx = Transaction.decode(b64.decode(e.getString("transaction")));
                if (!tx.body().contract().equals(GroupAggContract.NAME)) {
                    throw new AuditFailure("entry " + index + " is not a group-agg transaction");
                }
                Arguments a = tx.body().args();
                String function = tx.body().function();
                String subject;
                switch (function) {
                    case "group-join", "group-leave" -> {
                        requireGroup(a.string("groupId"), groupId, index);
                        subject = a.string("memberId");
                    }
                    case "upload" -> {
                        String receiver = a.string("receiver");
                        if (receiver.startsWith("group:")) {
                            requireGroup(a.string("groupId"), groupId, index);
                            requireGroup(receiver, "group:" + groupId, index);
                        } else if (!receiver.equals("patient:" + patientId)) {
                            throw new AuditFailure("entry " + index + " is addressed to another patient");
                        }
                        subject = a.string("kind");
                    }
                    default -> throw new AuditFailure("entry " + index + " is group-agg." + function);
                }
                MerkleProofs.verifyInclusion(LogLeaf.hash(index, tx),
                        new InclusionProof(index, sth.treeSize(), digests(e.getJsonArray("inclusionPath"))), sth.treeSize(), sth.rootHash());
                out.add(new Entry(index, function, tx.body().submitter(), subject));
            }
            return List.copyOf(out);
        } catch (ProofException e) {
            throw new AuditFailure("a proof does not verify: " + e.getMessage());
        } catch (LedgerException | IllegalArgumentException | NullPointerException | ClassCastException e) {
            throw new AuditFailure("malformed ledger response: " + e.getMessage());
        }
    }

    private static void requireGroup(String actual, String expected, long index) throws AuditFailure {
        if (!actual.equals(expected)) {
            throw new AuditFailure("entry " + index + " belongs to another group");
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
