package org.medledger.ledger.contract.seeds;

import java.util.Map;

import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.ContractException;
import org.medledger.ledger.contract.ContractState;
import org.medledger.ledger.contract.EndorsementPolicy;
import org.medledger.ledger.contract.FunctionTable;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.tx.Arguments;

/**
 * GROUP-AGG's uploads (seed 004, PROTOCOLS.md §5): EHR by a healthcare center, EMR by a doctor,
 * PHR and APHR by the patient, each with brief (public) and sensitive (encrypted) parts, record
 * and upload timestamps; PHR/APHR are indexed under the group id {@code ID_G} for the APHR search.
 * The upload's signature {@code C} is the submitter's transaction signature.
 * <p>Only a group's members write its index: the first upload under an {@code ID_G} makes its
 * submitter the group's owner and first member; the owner adds ({@code group-join}) and removes
 * ({@code group-leave}) members; a member may also leave by itself.
 */
public final class GroupAggContract extends FunctionTable {
    public static final String NAME = "group-agg";
    static final String NS_UPLOAD = "ga-upload";
    static final String NS_LATEST = "ga-group-latest";
    static final String NS_COUNT = "ga-group-count";
    static final String NS_ENTRY = "ga-group-entry";
    static final String NS_OWNER = "ga-group-owner";
    static final String NS_MEMBER = "ga-group-member";
    private static final Bytes ACTIVE = Bytes.utf8("active");
    private static final Bytes LEFT = Bytes.utf8("left");

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
                if (state.read(NS_OWNER, group).isEmpty()) {
                    state.write(NS_OWNER, group, Bytes.utf8(call.submitter()));
                    state.write(NS_MEMBER, StateKey.compose(group, call.submitter()), ACTIVE);
                } else {
                    requireMember(state, group, call.submitter());
                }
                long n = state.read(NS_COUNT, group).map(b -> Long.parseLong(b.utf8())).orElse(0L);
                state.write(NS_ENTRY, StateKey.compose(group, Long.toString(n)), Bytes.utf8(recordId));
                state.write(NS_COUNT, group, Bytes.utf8(Long.toString(n + 1)));
                state.write(NS_LATEST, StateKey.compose(group, kind), Bytes.utf8(recordId));
            }
        });
        function("group-join", EndorsementPolicy.submitterOnly(), (call, state) -> {
            String group = call.args().string("groupId");
            String member = call.args().string("memberId");
            requireSubmitter(call, requireExists(state, NS_OWNER, group).utf8());
            requireExists(state, MemberDirectory.NS_MEMBER, member);
            state.write(NS_MEMBER, StateKey.compose(group, member), ACTIVE);
        });
        function("group-leave", EndorsementPolicy.submitterOnly(), (call, state) -> {
            String group = call.args().string("groupId");
            String member = call.args().string("memberId");
            String owner = requireExists(state, NS_OWNER, group).utf8();
            if (!call.submitter().equals(member)) {
                requireSubmitter(call, owner);
            }
            if (member.equals(owner)) {
                throw new ContractException(LedgerReason.NOT_AUTHORIZED, "the owner of a group does not leave it");
            }
            requireMember(state, group, member);
            state.write(NS_MEMBER, StateKey.compose(group, member), LEFT);
        });
        check("group-latest", (call, state) ->
                requireExists(state, NS_LATEST, StateKey.compose(call.args().string("groupId"), call.args().string("kind"))));
    }

    private static void requireMember(ContractState state, String group, String member) {
        if (!state.read(NS_MEMBER, StateKey.compose(group, member)).map(ACTIVE::equals).orElse(false)) {
            throw new ContractException(LedgerReason.NOT_AUTHORIZED, member + " is not a member of group " + group);
        }
    }
}
