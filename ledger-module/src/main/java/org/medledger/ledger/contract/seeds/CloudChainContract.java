package org.medledger.ledger.contract.seeds;

import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.ContractException;
import org.medledger.ledger.contract.EndorsementPolicy;
import org.medledger.ledger.contract.FunctionTable;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.tx.Arguments;

/**
 * CLOUD-CHAIN's ledger side (seed 001, PROTOCOLS.md §2): the NA records {@code HID_i}; a
 * medical center creates {@code Sc(HID_i, PID_j, Cert_j)} (endorsed by the NA, with
 * {@code Cert_j} equal to its KGC certificate, errata 2); every EHR access is a log transaction
 * {@code {HID_i, PID_j, T_access, Sig_j}} whose {@code Sig_j} is the submitter's signature.
 */
public final class CloudChainContract extends FunctionTable {
    public static final String NAME = "cloud-chain";
    static final String NS_HID = "cc-hid";
    static final String NS_SC = "cc-sc";
    static final String NS_ACCESS = "cc-last-access";

    public CloudChainContract() {
        super(NAME);
        function("patient", EndorsementPolicy.endorsedByRole(Role.KGC),
                (call, state) -> insertOnce(state, NS_HID, call.args().string("hid"), Bytes.utf8(Long.toString(call.timestamp()))));
        function("sc", EndorsementPolicy.endorsedByRole(Role.KGC), (call, state) -> {
            String hid = call.args().string("hid");
            String pid = call.args().string("pid");
            requireRole(call, Role.MEDICAL_CENTER);
            requireSubmitter(call, pid);
            requireExists(state, NS_HID, hid);
            Bytes registered = requireExists(state, MemberDirectory.NS_MEMBER, pid);
            if (!registered.equals(call.args().bytes("certJ"))) {
                throw new ContractException(LedgerReason.NOT_AUTHORIZED, "Cert_j is not the certificate the KGC issued to " + pid);
            }
            insertOnce(state, NS_SC, hid + "/" + pid, record(Arguments.builder().put("certJ", registered).put("createdAt", call.timestamp())));
        });
        function("access-log", EndorsementPolicy.submitterOnly(), (call, state) -> {
            String hid = call.args().string("hid");
            String pid = call.args().string("pid");
            long tAccess = call.args().number("tAccess");
            requireSubmitter(call, pid);
            if (!state.exists(NS_SC, hid + "/" + pid)) {
                throw new ContractException(LedgerReason.NOT_AUTHORIZED, "no Sc(" + hid + ", " + pid + ") on the ledger");
            }
            state.write(NS_ACCESS, hid + "/" + pid, Bytes.utf8(Long.toString(tAccess)));
        });
        check("scchk", (call, state) -> requireExists(state, NS_SC, call.args().string("hid") + "/" + call.args().string("pid")));
    }
}
