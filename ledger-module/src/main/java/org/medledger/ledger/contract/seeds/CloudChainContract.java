package org.medledger.ledger.contract.seeds;

import org.bouncycastle.util.encoders.Hex;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.ContractException;
import org.medledger.ledger.contract.EndorsementPolicy;
import org.medledger.ledger.contract.FunctionTable;
import org.medledger.ledger.crypto.SignatureScheme;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.tx.Arguments;
import org.medledger.protocol.cloudchain.LogTransaction;
import org.medledger.protocol.cloudchain.PatientCenterContract;

/**
 * CLOUD-CHAIN's ledger side (seed 001, PROTOCOLS.md §2): the NA records {@code HID_i} with the
 * patient's signing key; a medical center creates {@code Sc(HID_i, PID_j, Cert_j)} (endorsed by
 * the NA, with {@code Cert_j} equal to its KGC certificate, errata 2) only with the patient's own
 * signature over {@code (HID_i, PID_j)} ({@link #scStatement}, {@code hid} the hex of {@code HID_i}); every EHR access is a log
 * transaction {@code {HID_i, PID_j, T_access, Sig_j}}, each kept under its own sequence number.
 */
public final class CloudChainContract extends FunctionTable {
    public static final String NAME = "cloud-chain";
    static final String NS_HID = "cc-hid";
    static final String NS_SC = "cc-sc";
    static final String NS_ACCESS = "cc-access";
    static final String NS_ACCESS_COUNT = "cc-access-count";

    public CloudChainContract(SignatureScheme scheme) {
        super(NAME);
        function("patient", EndorsementPolicy.endorsedByRole(Role.KGC), (call, state) -> {
            Bytes key = call.args().bytes("patientKey");
            if (!scheme.isValidPublicKey(key.toArray())) {
                throw new ContractException(LedgerReason.MALFORMED, "the patient's key is not a valid public key");
            }
            insertOnce(state, NS_HID, call.args().string("hid"), record(Arguments.builder()
                    .put("registeredAt", call.timestamp()).put("patientKey", key)));
        });
        function("sc", EndorsementPolicy.endorsedByRole(Role.KGC), (call, state) -> {
            String hid = call.args().string("hid");
            String pid = call.args().string("pid");
            requireRole(call, Role.MEDICAL_CENTER);
            requireSubmitter(call, pid);
            Arguments patient = parse(requireExists(state, NS_HID, hid));
            if (!scheme.verify(patient.bytes("patientKey").toArray(), scStatement(hid, pid), call.args().bytes("patientSig").toArray())) {
                throw new ContractException(LedgerReason.BAD_SIGNATURE, "the patient did not sign Sc(" + hid + ", " + pid + ")");
            }
            Bytes registered = requireExists(state, MemberDirectory.NS_MEMBER, pid);
            if (!registered.equals(call.args().bytes("certJ"))) {
                throw new ContractException(LedgerReason.NOT_AUTHORIZED, "Cert_j is not the certificate the KGC issued to " + pid);
            }
            insertOnce(state, NS_SC, StateKey.compose(hid, pid), record(Arguments.builder().put("certJ", registered)
                    .put("patientSig", call.args().bytes("patientSig")).put("createdAt", call.timestamp())));
        });
        function("access-log", EndorsementPolicy.submitterOnly(), (call, state) -> {
            String hid = call.args().string("hid");
            String pid = call.args().string("pid");
            long tAccess = call.args().number("tAccess");
            // The MC logs its access, or the cloud server commits the MC-signed log before it releases the EHR.
            requireRole(call, Role.MEDICAL_CENTER, Role.CLOUD);
            if (call.submitterRole() == Role.MEDICAL_CENTER) {
                requireSubmitter(call, pid);
            }
            // A center the consortium removed reads nothing more, whoever submits its log.
            if (MemberDirectory.isRevoked(state.read(MemberDirectory.NS_REVOKED, pid))) {
                throw new ContractException(LedgerReason.NOT_AUTHORIZED, pid + " is no longer a member");
            }
            String pair = StateKey.compose(hid, pid);
            if (!state.exists(NS_SC, pair)) {
                throw new ContractException(LedgerReason.NOT_AUTHORIZED, "no Sc(" + hid + ", " + pid + ") on the ledger");
            }
            MemberCertificate mc = MemberCertificate.decode(requireExists(state, MemberDirectory.NS_MEMBER, pid));
            if (!scheme.verify(mc.publicKey().toArray(), LogTransaction.signedStatement(hidBytes(hid), pid, tAccess),
                    call.args().bytes("sigJ").toArray())) {
                throw new ContractException(LedgerReason.BAD_SIGNATURE, "Sig_j is not " + pid + "'s signature of this access");
            }
            long n = state.read(NS_ACCESS_COUNT, pair).map(b -> Long.parseLong(b.utf8())).orElse(0L);
            state.write(NS_ACCESS, StateKey.compose(hid, pid, Long.toString(n)), record(Arguments.builder()
                    .put("tAccess", call.args().number("tAccess")).put("sigJ", call.args().bytes("sigJ")).put("loggedAt", call.timestamp())));
            state.write(NS_ACCESS_COUNT, pair, Bytes.utf8(Long.toString(n + 1)));
        });
        check("scchk", (call, state) -> requireExists(state, NS_SC, StateKey.compose(call.args().string("hid"), call.args().string("pid"))));
    }

    /**
     * What the patient signs with {@code r_i} to agree to {@code Sc(HID_i, PID_j, ·)}: the
     * protocol's {@code PatientCenterContract.patientStatement}, {@code hid} being the hex of the
     * 32-byte {@code HID_i}.
     */
    public static byte[] scStatement(String hid, String pid) {
        return PatientCenterContract.patientStatement(hidBytes(hid), pid);
    }

    private static byte[] hidBytes(String hid) {
        byte[] h;
        try {
            h = Hex.decodeStrict(hid);
        } catch (RuntimeException e) {
            throw new ContractException(LedgerReason.MALFORMED, "HID_i is not hex");
        }
        if (h.length != 32) {
            throw new ContractException(LedgerReason.MALFORMED, "HID_i is 32 bytes");
        }
        return h;
    }
}
