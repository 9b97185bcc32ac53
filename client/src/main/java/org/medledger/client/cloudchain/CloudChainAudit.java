package org.medledger.client.cloudchain;

import jakarta.json.JsonObject;

import java.util.List;

import org.medledger.client.AuditFailure;
import org.medledger.client.LedgerAnswer;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.contract.seeds.CloudChainContract;
import org.medledger.ledger.tx.Arguments;

/**
 * The patient's (or an auditor's) check of a smartcard's CLOUD-CHAIN entries on the ledger
 * ({@code GET /api/cloud-chain/patients/{hid}/ledger}), trusting nothing the server says
 * ({@link LedgerAnswer}: pinned anchors, a certified producer's head, on a consortium's ledger a
 * quorum of hospital co-signatures, consistency with the head seen before): every entry must be a
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
        LedgerAnswer.Verified<Entry> v = LedgerAnswer.verify(response, pinnedAnchors, previousSize, previousRoot, (index, tx) -> {
            if (!tx.body().contract().equals(CloudChainContract.NAME)) {
                throw new AuditFailure("entry " + index + " is not a CLOUD-CHAIN entry");
            }
            Arguments a = tx.body().args();
            if (!a.string("hid").equals(hid)) {
                throw new AuditFailure("entry " + index + " is about another smartcard");
            }
            String function = tx.body().function();
            return new Entry(index, function, tx.body().submitter(), function.equals("patient") ? "" : a.string("pid"),
                    function.equals("access-log") ? a.number("tAccess") : 0);
        });
        return new Verified(v.entries(), v.anchors(), v.treeSize(), v.rootHash());
    }
}
