package org.medledger.cloudchain;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

import org.bouncycastle.util.encoders.Hex;
import org.medledger.custody.KeyEntry;
import org.medledger.consensus.EcKeys;
import org.medledger.consensus.LedgerNode;
import org.medledger.emrauth.FhirRecords;
import org.medledger.emrauth.PublicCloudService;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.seeds.CloudChainContract;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.TxBody;
import org.medledger.platform.DatabaseReplayGuard;
import org.medledger.platform.DomainException;
import org.medledger.platform.Refusals;
import org.medledger.platform.SessionStore;
import org.medledger.protocol.cloudchain.AuthRequest;
import org.medledger.protocol.cloudchain.AuthResponse;
import org.medledger.protocol.cloudchain.ContractUpload;
import org.medledger.protocol.cloudchain.Ehr;
import org.medledger.protocol.cloudchain.EhrQuery;
import org.medledger.protocol.cloudchain.MedicalCenter;
import org.medledger.protocol.cloudchain.MedicalCenterCertificate;
import org.medledger.protocol.cloudchain.MedicalCenterSession;
import org.medledger.protocol.cloudchain.PatientCenterContract;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SessionSealer;

/**
 * CLOUD-CHAIN's medical centers MC_j as served here (seed 001): authentication step 2 with the
 * ephemeral shares of erratum 5 (the session sealed by the center in the database between the two
 * calls, used once), the smart contract {@code Sc(HID_i, PID_j, Cert_j)} on the ledger, and EHR
 * storing and requesting through the cloud server. Each center's keys are loaded per call from
 * the hospital key store. A center is operated by the Keycloak account it was registered for.
 */
@Stateless
public class MedicalCenterService {

    private static final Logger LOG = Logger.getLogger(MedicalCenterService.class.getName());
    static final String SESSION_KIND = "CLOUD-CHAIN/MedicalCenterSession";
    static final Duration SESSION_LIFETIME = Duration.ofMinutes(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    CloudChainVault vault;

    @Inject
    DatabaseReplayGuard replayGuard;

    @EJB
    PublicCloudService pc;

    @EJB
    NetworkAdministratorService na;

    @EJB
    CloudServerService cloudServer;

    @EJB
    SessionStore sessions;

    @EJB
    LedgerNode ledger;

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    public record Authenticated(String sessionId, AuthResponse response) {
    }

    public record Contracted(String hid, String pid, long logIndex) {
    }

    public record Stored(String hid, String pid, long uploadedAt) {
    }

    public record Retrieved(String hid, String storedBy, long uploadedAt, byte[] record, long logIndex) {
    }

    /** A registered center with its keys loaded for this call. */
    private final class Loaded implements AutoCloseable {
        final KeyEntry keys;
        final MedicalCenter mc;
        final Environment env;
        final String centerId;

        Loaded(String pid) throws DomainException {
            NetworkAdministratorService.requireHex(pid, "INVALID_PID", "PID_j");
            @SuppressWarnings("unchecked")
            List<String> rows = em.createNativeQuery("SELECT center_id FROM cc_medical_center WHERE pid = ?1").setParameter(1, pid)
                    .getResultList();
            if (rows.isEmpty()) {
                throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_MEDICAL_CENTER", "no medical center with this PID_j");
            }
            centerId = rows.get(0);
            SecretBytes raw = vault.center(pid).orElseThrow(() -> new DomainException(DomainException.Kind.UNAVAILABLE,
                    "MEDICAL_CENTER_KEY_UNAVAILABLE", "the medical center's keys are missing"));
            byte[] b = raw.reveal();
            try {
                env = pc.environment();
                keys = KeyEntry.decode(KeyEntry.CLOUD_CHAIN_CENTER, env.curve(), b);
                mc = new MedicalCenter(env, pc.trust(env), keys.party, pid, keys.sharedKey);
                mc.install(new MedicalCenterCertificate(na.certificate(pid), List.of()));
                mc.useVerifierSource(na::verifier);
            } catch (ProtocolException e) {
                throw new DomainException(DomainException.Kind.UNAVAILABLE, "MEDICAL_CENTER_KEY_UNAVAILABLE",
                        "the medical center's keys do not open");
            } finally {
                Arrays.fill(b, (byte) 0);
                raw.destroy();
            }
        }

        /** Only the center's own operator acts for it. */
        void requireOperator(String callerId) throws DomainException {
            if (!centerId.equals(callerId)) {
                throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_CENTER",
                        "the caller does not operate this medical center");
            }
        }

        SessionSealer sealer() {
            // A sealed session opens once: its state id goes to the database replay guard.
            return new SessionSealer(keys.sessionKey, env.clock(), env.random(), SESSION_LIFETIME, replayGuard);
        }

        @Override
        public void close() {
            keys.destroy();
        }
    }

    /**
     * Authentication step 2 (seed 001, §5.2 step 2) for the authenticated patient {@code callerId}:
     * the card's {@code HID_i} must be the caller's; answers {@code <E_i, M_amc, T_2, Q_j>} and
     * keeps the session with {@code SK_ij} sealed in the database until the contract upload.
     */
    public Authenticated authenticate(String pid, AuthRequest request, String callerId) throws DomainException {
        try (Loaded c = new Loaded(pid)) {
            MedicalCenterSession session = c.mc.acceptAuthentication(request);
            try {
                if (!na.holderOf(session.hid()).map(callerId::equals).orElse(false)) {
                    throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY",
                            "the smartcard in this request is not the caller's");
                }
                String id = SessionStore.newId();
                sessions.put(id, SESSION_KIND, callerId, session.export(c.sealer(), id), Instant.now().plus(SESSION_LIFETIME));
                LOG.info(() -> "CLOUD-CHAIN MC " + pid + ": patient " + callerId + " authenticated");
                return new Authenticated(id, session.response());
            } finally {
                session.sessionKey().destroy();
            }
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
    }

    /**
     * Smart-contract upload step 2 (seed 001, §5.3 step 2): resumes the session once, checks
     * {@code M_sc} and the patient's {@code Sig_i}, and submits {@code Sc(HID_i, PID_j, Cert_j)}
     * signed by the center and endorsed by the NA; the ledger checks {@code Sig_i} under the
     * {@code PK_i} the NA recorded.
     */
    public Contracted contract(String pid, String sessionId, ContractUpload upload, String callerId) throws DomainException {
        byte[] sealed = sessions.take(sessionId, SESSION_KIND, callerId);
        try (Loaded c = new Loaded(pid)) {
            MedicalCenterSession session = c.mc.resumeSession(c.sealer(), sessionId, sealed);
            PatientCenterContract sc;
            try {
                sc = session.acceptContractUpload(upload);
            } finally {
                session.sessionKey().destroy();
            }
            String hid = Hex.toHexString(sc.hidI());
            // Cert_j on the ledger: the member certificate the KGC issued to PID_j (errata 2)
            Bytes certJ = ledger.state(MemberDirectory.NS_MEMBER, pid).orElseThrow(() -> new DomainException(
                    DomainException.Kind.UNAVAILABLE, "MEDICAL_CENTER_NOT_A_MEMBER", "the medical center is not a ledger member")).value();
            TxBody body = new TxBody(pid, CloudChainContract.NAME, "sc", Arguments.builder().put("hid", hid).put("pid", pid)
                    .put("certJ", certJ).put("patientSig", Bytes.of(sc.patientSig())).build(), System.currentTimeMillis(),
                    RANDOM.nextLong());
            long index = ledger.submitEndorsedByKgc(body.sign(EcKeys.signer(c.keys.party.signing().exportSecret()))).logIndex();
            na.indexEntry(index, hid, "sc");
            LOG.info(() -> "CLOUD-CHAIN MC " + pid + ": contract with a patient at ledger index " + index);
            return new Contracted(hid, pid, index);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
    }

    /**
     * EHR storing (seed 001, §5.4) by the center's operator: the FHIR R4 record {@code RI} for
     * {@code HID_i}, sent to the cloud server as {@code <M_up, M_CU>}; the cloud server stores it
     * only with the patient's contract on the ledger.
     */
    public Stored storeEhr(String pid, String hid, byte[] record, String callerId) throws DomainException {
        NetworkAdministratorService.requireHex(hid, "INVALID_HID", "HID_i");
        try (Loaded c = new Loaded(pid)) {
            c.requireOperator(callerId);
            FhirRecords.requireValid(record);
            Ehr ehr = cloudServer.acceptUpload(c.mc.storeEhr(Hex.decode(hid), record));
            LOG.info(() -> "CLOUD-CHAIN MC " + pid + ": EHR stored at the cloud server by " + callerId);
            return new Stored(hid, pid, ehr.tUp());
        }
    }

    /**
     * EHR requesting (seed 001, §5.5–5.6) by the center's operator: {@code <M_req, M_CR>} with
     * {@code Sig_j} to the cloud server, which commits the access-log transaction on the ledger
     * before it answers; the center checks {@code M_CE} and the record.
     */
    public Retrieved requestEhr(String pid, String hid, String callerId) throws DomainException {
        NetworkAdministratorService.requireHex(hid, "INVALID_HID", "HID_i");
        try (Loaded c = new Loaded(pid)) {
            c.requireOperator(callerId);
            EhrQuery query = c.mc.requestEhr(Hex.decode(hid));
            CloudServerService.Released released = cloudServer.handleRequest(query.request());
            Ehr ehr = query.readResponse(released.response());
            FhirRecords.requireValid(ehr.ri());
            LOG.info(() -> "CLOUD-CHAIN MC " + pid + ": EHR read by " + callerId + ", access at ledger index " + released.logIndex());
            return new Retrieved(hid, ehr.pidJ(), ehr.tUp(), ehr.ri(), released.logIndex());
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
    }
}
