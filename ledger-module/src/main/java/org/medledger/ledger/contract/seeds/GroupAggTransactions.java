package org.medledger.ledger.contract.seeds;

import java.util.HexFormat;

import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.TxBody;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.group.UploadRecord;

/**
 * The {@link GroupAggContract} transactions as the devices and the server build them: an upload
 * carries the protocol's C_X ({@code record}) beside the contract's arguments, which must repeat
 * it; membership changes name the member, the digest of its Chebyshev key (join) and the group's
 * new epoch.
 */
public final class GroupAggTransactions {

    private GroupAggTransactions() {
    }

    /** The record id on the ledger: the digest of C_X's encoding. */
    public static String recordId(UploadRecord record) {
        return HexFormat.of().formatHex(CheckValues.digest(LabelledEncoder.of("GROUP-AGG/record-id").bytes(record.toBytes())));
    }

    /** {@code group-agg.upload} of C_X; {@code groupId} for PHR and APHR, null for EHR and EMR. */
    public static TxBody upload(String submitter, UploadRecord record, String groupId, long now, long nonce) {
        Arguments.Builder a = Arguments.builder().put("kind", record.kind().name()).put("recordId", recordId(record))
                .put("receiver", record.receiver()).put("recordTime", record.timestamp()).put("brief", Bytes.of(record.brief()))
                .put("sensitive", Bytes.of(record.sensitive())).put("record", Bytes.of(record.toBytes()));
        if (groupId != null) {
            a.put("groupId", groupId);
        }
        return new TxBody(submitter, GroupAggContract.NAME, "upload", a.build(), now, nonce);
    }

    /** {@code group-agg.group-join} by the owner: member, digest of its Chebyshev key, the new epoch. */
    public static TxBody join(String owner, String groupId, String memberId, String memberKeyDigest, long epoch, long now, long nonce) {
        return new TxBody(owner, GroupAggContract.NAME, "group-join", Arguments.builder().put("groupId", groupId)
                .put("memberId", memberId).put("memberKey", memberKeyDigest).put("epoch", epoch).build(), now, nonce);
    }

    /** {@code group-agg.group-leave} by the leaver or the owner, with the new epoch. */
    public static TxBody leave(String submitter, String groupId, String memberId, long epoch, long now, long nonce) {
        return new TxBody(submitter, GroupAggContract.NAME, "group-leave", Arguments.builder().put("groupId", groupId)
                .put("memberId", memberId).put("epoch", epoch).build(), now, nonce);
    }
}
