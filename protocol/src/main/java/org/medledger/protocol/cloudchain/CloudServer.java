package org.medledger.protocol.cloudchain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.TrustContext;

/**
 * The cloud server CS of CLOUD-CHAIN: stores EHRs sent by medical centers under their
 * pre-shared {@code KMS_j}, only for patients the center holds a ledger contract with, and
 * releases them only to such a center, after the center's signed access-log transaction is
 * on the ledger.
 */
public final class CloudServer {

    private final Environment env;
    private final PreSharedKeys keys;
    private final EhrRepository repository;
    private final ContractRegistry contracts;
    private final TrustContext trust;
    private final AccessLog accessLog;

    public CloudServer(Environment env, TrustContext trust, PreSharedKeys keys, EhrRepository repository, ContractRegistry contracts,
                       AccessLog accessLog) {
        this.env = Objects.requireNonNull(env, "Environment is required.");
        this.trust = Objects.requireNonNull(trust, "Trust context is required.");
        this.accessLog = Objects.requireNonNull(accessLog, "Access log is required.");
        this.keys = Objects.requireNonNull(keys, "Pre-shared keys are required.");
        this.repository = Objects.requireNonNull(repository, "Repository is required.");
        this.contracts = Objects.requireNonNull(contracts, "Contract registry is required.");
    }

    /**
     * EHR storing step 2 (seed 001, §5.4 step 2): decrypts {@code M_up} with {@code KMS_j},
     * checks {@code M_CU}, requires the ledger contract {@code Sc(HID_i, PID_j, ·)}, stores
     * {@code EHR_i}.
     *
     * @throws ProtocolException {@link Reason#NOT_AUTHORIZED} without a contract, or a check reason
     */
    public Ehr acceptUpload(EhrUpload upload) throws ProtocolException {
        String pidJ = pid(upload.pidJ());
        SecretBytes kms = kmsOf(pidJ);
        env.freshness().requireFresh(upload.tUp());
        // EHR_i = D_KMS_j(M_up)
        byte[] plain = Aead.open(kms, new AssociatedData(MedicalCenter.M_UP, pidJ, MedicalCenter.CS_ID, upload.tUp()), upload.mUp());
        Ehr ehr = Ehr.decode(plain);
        // M_CU* = HMAC(k_CU, EHR_i‖PID_j) ?= M_CU, k_CU from KMS_j  (seed 001, §5.4 step 2; erratum 3; cloud-chain.md)
        CheckValues.requireEqual(MedicalCenter.mCu(kms, ehr, pidJ), upload.mCu());
        if (!ehr.pidJ().equals(pidJ) || ehr.tUp() != upload.tUp()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "EHR_i does not match its sender");
        }
        env.freshness().requireFirstSeen("CLOUD-CHAIN/CS/EhrUpload", ContentId.ofAuthenticatedEncoding(upload.encode()), upload.tUp());
        // Authorize the write as the read: Sc(HID_i, PID_j, ·) is on the ledger  (cloud-chain.md)
        if (!contracts.hasContract(ehr.hidI(), pidJ)) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "no contract between this patient and medical center");
        }
        repository.store(ehr);
        return ehr;
    }

    /**
     * EHR requesting step 2 (seed 001, §5.5 step 2): decrypts {@code M_req}, checks
     * {@code M_CR}, authorizes against the ledger contract, commits the MC-signed access-log
     * transaction {@code {HID_i, PID_j, T_req, Sig_j}} (§5.6) and only then answers
     * {@code <M_E, M_CE>}.
     *
     * @throws ProtocolException {@link Reason#NOT_AUTHORIZED} without a contract,
     *         {@link Reason#UNKNOWN_PARTY} if no EHR exists, or a check reason
     */
    public EhrResponse handleRequest(EhrRequest request) throws ProtocolException {
        String pidJ = pid(request.pidJ());
        SecretBytes kms = kmsOf(pidJ);
        env.freshness().requireFresh(request.tReq());
        // (RE‖PID_j‖Sig_j) = D_KMS_j(M_req)
        byte[] plain = Aead.open(kms, new AssociatedData(MedicalCenter.M_REQ, pidJ, MedicalCenter.CS_ID, request.tReq()), request.mReq());
        LabelledDecoder d = LabelledDecoder.open(plain, MedicalCenter.M_REQ + "/plain");
        byte[] re = d.bytes();
        String innerPid = d.utf8();
        byte[] sigJ = d.bytes(Ecdsa.signatureLength(env.curve()));
        d.finish();
        if (!innerPid.equals(pidJ)) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "PID_j inside and outside differ");
        }
        // M_CR* = h(RE‖PID_j) ?= M_CR  (erratum 3)
        CheckValues.requireDigest(LabelledEncoder.of(MedicalCenter.M_CR).bytes(re).utf8(pidJ), request.mCr());
        LabelledDecoder r = LabelledDecoder.open(re, "CLOUD-CHAIN/5.5/RE");
        byte[] hidI = r.bytes(CloudChainHashes.LENGTH);
        r.bytes(16);
        r.finish();
        env.freshness().requireFirstSeen("CLOUD-CHAIN/CS/EhrRequest", ContentId.ofAuthenticatedEncoding(request.encode()), request.tReq());
        // Authorize against the ledger: Sc(HID_i, PID_j, ·) exists  (PROTOCOLS.md §2)
        if (!contracts.hasContract(hidI, pidJ)) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "no contract between this patient and medical center");
        }
        Ehr ehr = repository.latest(hidI).orElseThrow(() -> new ProtocolException(Reason.UNKNOWN_PARTY, "no EHR for this patient"));
        // Tx = {HID_i, PID_j, T_access, Sig_j}, Sig_j under the MC's certified key, on the ledger before the EHR leaves  (§5.6)
        LogTransaction tx = new LogTransaction(hidI, pidJ, request.tReq(), sigJ);
        tx.verify(trust.resolve(CloudChainRoles.SCHEME, CloudChainRoles.MEDICAL_CENTER, pidJ, env.freshness().now()).signingKey());
        accessLog.append(tx);
        long tE = env.freshness().now();
        // M_E = E_KMS_j(EHR_i), M_CE = h(RE‖EHR_i‖PID_j)  (seed 001, §5.5 step 2)
        byte[] mE = Aead.seal(kms, new AssociatedData(MedicalCenter.M_E, MedicalCenter.CS_ID, pidJ, tE), ehr.encode(), env.random());
        byte[] mCe = CheckValues.digest(LabelledEncoder.of(MedicalCenter.M_CE).bytes(re).bytes(ehr.encode()).utf8(pidJ));
        return new EhrResponse(mE, mCe, tE);
    }

    private SecretBytes kmsOf(String pidJ) throws ProtocolException {
        return keys.kms(pidJ).orElseThrow(() -> new ProtocolException(Reason.UNKNOWN_PARTY, "no pre-shared key for this medical center"));
    }

    private static String pid(byte[] b) throws ProtocolException {
        String s = new String(b, StandardCharsets.UTF_8);
        if (!Arrays.equals(s.getBytes(StandardCharsets.UTF_8), b)) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "PID_j is not UTF-8");
        }
        return s;
    }
}
