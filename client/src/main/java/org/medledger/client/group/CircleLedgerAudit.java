package org.medledger.client.group;

import jakarta.json.JsonObject;

import java.util.List;

import org.medledger.client.AuditFailure;
import org.medledger.client.LedgerAnswer;
import org.medledger.ledger.contract.seeds.GroupAggContract;
import org.medledger.ledger.tx.Arguments;

/**
 * A member's check of its circle's history on the ledger, trusting nothing the server says
 * ({@link LedgerAnswer}: pinned anchors, a certified producer's head, on a consortium's ledger a
 * quorum of hospital co-signatures): every entry a {@code group-agg} transaction of this circle
 * (membership change or upload) included under that head.
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
        return LedgerAnswer.verify(response, pinnedAnchors, 0, null, (index, tx) -> {
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
            return new Entry(index, function, tx.body().submitter(), subject);
        }).entries();
    }

    private static void requireGroup(String actual, String expected, long index) throws AuditFailure {
        if (!actual.equals(expected)) {
            throw new AuditFailure("entry " + index + " belongs to another group");
        }
    }
}
