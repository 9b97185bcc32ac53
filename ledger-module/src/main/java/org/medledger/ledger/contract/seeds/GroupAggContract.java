package org.medledger.ledger.contract.seeds;

import java.util.Map;

import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.ContractException;
import org.medledger.ledger.contract.EndorsementPolicy;
import org.medledger.ledger.contract.FunctionTable;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.tx.Arguments;

/**
 * GROUP-AGG's uploads (seed 004, PROTOCOLS.md §5): EHR by a healthcare center, EMR by a doctor,
 * PHR and APHR by the patient, each with brief (public) and sensitive (encrypted) parts, record
 * and upload timestamps; PHR/APHR are indexed under the group id {@code ID_G} for the APHR search.
 * The upload's signature {@code C} is the submitter's transaction signature.
 */
public final class GroupAggContract extends FunctionTable {
    public static final String NAME = "group-agg";
    static final String NS_UPLOAD = "ga-upload";
    static final String NS_LATEST = "ga-group-latest";
    static final String NS_COUNT = "ga-group-count";
    static final String NS_ENTRY = "ga-group-entry";

    private static final Map<String, Role> PRODUCER = Map.of("EHR", Role.HOSPITAL, "EMR", Role.DOCTOR, "PHR", Role.PATIENT, "APHR", Role.PATIENT);

    public GroupAggContract() {
        super(NAME);
        function("upload", EndorsementPolicy.submitterOnly(), (call, state) -> {
            String kind = call.args().string("kind");
            Role producer = PRODUCER.get(kind);
            if (producer == null) {
                throw new ContractException(LedgerReason.MALFORMED, "unknown record kind " + kind);
            }
            requireRole(call, producer);
            String recordId = call.args().string("recordId");
            Arguments.Builder rec = Arguments.builder().put("kind", kind).put("producer", call.submitter())
                    .put("receiver", call.args().string("receiver")).put("recordTime", call.args().number("recordTime"))
                    .put("uploadTime", call.timestamp()).put("brief", call.args().bytes("brief"))
                    .put("sensitive", call.args().bytes("sensitive"));
            insertOnce(state, NS_UPLOAD, recordId, record(rec));
            if (kind.equals("PHR") || kind.equals("APHR")) {
                String group = call.args().string("groupId");
                long n = state.read(NS_COUNT, group).map(b -> Long.parseLong(b.utf8())).orElse(0L);
                state.write(NS_ENTRY, group + "/" + n, Bytes.utf8(recordId));
                state.write(NS_COUNT, group, Bytes.utf8(Long.toString(n + 1)));
                state.write(NS_LATEST, group + "/" + kind, Bytes.utf8(recordId));
            }
        });
        check("group-latest", (call, state) ->
                requireExists(state, NS_LATEST, call.args().string("groupId") + "/" + call.args().string("kind")));
    }
}
