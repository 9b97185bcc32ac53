package org.medledger.client.emrauth;

import jakarta.json.JsonObject;

import java.util.List;

import org.medledger.client.AuditFailure;
import org.medledger.client.LedgerAnswer;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.contract.seeds.AccessContract;
import org.medledger.ledger.tx.Arguments;

/**
 * The patient's own check of its access list ({@code GET /api/audit/accesses}), trusting nothing
 * the server says ({@link LedgerAnswer}: pinned anchors, a certified producer's head, on a
 * consortium's ledger a quorum of hospital co-signatures, consistency with the head seen before):
 * every entry must be an {@code access.record} transaction about this patient included under
 * that head.
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
        LedgerAnswer.Verified<Access> v = LedgerAnswer.verify(response, pinnedAnchors, previousSize, previousRoot, (index, tx) -> {
            if (!tx.body().contract().equals(AccessContract.NAME) || !tx.body().function().equals("record")) {
                throw new AuditFailure("entry " + index + " is not an access entry");
            }
            Arguments a = tx.body().args();
            if (!a.string("patientId").equals(patientId)) {
                throw new AuditFailure("entry " + index + " is about another patient");
            }
            return new Access(index, a.string("holderId"), a.string("accessorId"), a.string("outcome"), a.string("reason"),
                    a.number("at"));
        });
        return new Verified(v.entries(), v.anchors(), v.treeSize(), v.rootHash());
    }
}
