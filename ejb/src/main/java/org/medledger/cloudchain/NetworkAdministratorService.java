package org.medledger.cloudchain;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import org.bouncycastle.util.encoders.Hex;
import org.medledger.custody.KeyEntry;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.consensus.LedgerNode;
import org.medledger.custody.KgcKeyStore;
import org.medledger.directory.DirectoryService;
import org.medledger.emrauth.PublicCloudService;
import org.medledger.emrauth.ServerKeys;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.seeds.CloudChainContract;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.tx.Arguments;
import org.medledger.platform.DomainException;
import org.medledger.platform.Refusals;
import org.medledger.protocol.cloudchain.CardIssuance;
import org.medledger.protocol.cloudchain.CloudChainRoles;
import org.medledger.protocol.cloudchain.MedicalCenter;
import org.medledger.protocol.cloudchain.MedicalCenterCertificate;
import org.medledger.protocol.cloudchain.NetworkAdministrator;
import org.medledger.protocol.cloudchain.PatientEnrolment;
import org.medledger.protocol.cloudchain.PatientRegistrationResult;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.ProtocolException;

/**
 * CLOUD-CHAIN's network administrator NA (the KGC, {@code s_NA} in the KGC key store) as served
 * here: registers medical centers (seed 001, §5.1.2: the center generates its keys and
 * {@code PID_j}, the NA certifies {@code Cert_j}, makes it a ledger member and shares
 * {@code KMS_j} with the cloud server) and patients' smartcards (§5.1.1: {@code HID_i} in,
 * {@code x_i} out; the verifier {@code V_i = h(x_i)} kept for the centers, erratum 4; the card's
 * {@code PK_i} recorded on the ledger with {@code HID_i}).
 */
@Stateless
public class NetworkAdministratorService {

    private static final Logger LOG = Logger.getLogger(NetworkAdministratorService.class.getName());
    /** {@code HID_i} and {@code PID_j} on the wire: 32 bytes as 64 lowercase hex digits. */
    public static final Pattern HEX32 = Pattern.compile("[0-9a-f]{64}");
    static final Duration VALIDITY = Duration.ofDays(365);

    @Inject
    KgcKeyStore kgcKeys;

    @Inject
    CloudChainVault vault;

    @EJB
    PublicCloudService pc;

    @EJB
    DirectoryService directory;

    @EJB
    LedgerNode ledger;

    @EJB
    CloudServerService cloudServer;

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    public record CenterRegistered(String centerId, String pid, DirectoryEntry certJ, long logIndex) {
    }

    public record PatientKeyRecorded(String hid, long logIndex) {
    }

    /**
     * Registers medical center {@code centerId} (its operator's Keycloak account, {@code ID_j}):
     * the center generates its keys, {@code KMS_j} and {@code PID_j = h(ID_j‖r_j)}; the NA
     * certifies {@code Cert_j} over {@code (PID_j, PK_j, validity)} (erratum 2), the center checks
     * it; the center becomes a ledger member under {@code PID_j} with its signing key; the cloud
     * server keeps its copy of {@code KMS_j}.
     */
    public CenterRegistered registerMedicalCenter(String centerId, String registeredBy) throws DomainException {
        if (centerId == null || !KgcRegistrationService.PARTY_ID.matcher(centerId).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_CENTER_ID",
                    "centerId must be 1-128 characters of letters, digits, '.', '_', '@' or '-'");
        }
        if (!em.createNativeQuery("SELECT pid FROM cc_medical_center WHERE center_id = ?1").setParameter(1, centerId)
                .getResultList().isEmpty()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_REGISTERED", "medical center " + centerId
                    + " is already registered");
        }
        cloudServer.ensureRegistered(registeredBy);
        Environment env = pc.environment();
        SecureRandom random = new SecureRandom();
        KeyEntry keys = KeyEntry.generated(KeyEntry.CLOUD_CHAIN_CENTER, env.curve(), PartyKeys.generate(env.curve(), random), null,
                null, null, random);
        MasterSecret s = kgcKeys.masterSecret();
        try {
            MedicalCenter mc = MedicalCenter.create(env, pc.trust(env), keys.party, centerId, keys.sharedKey);
            String pid = mc.pid();
            NetworkAdministrator na = new NetworkAdministrator(env, s,
                    new KeyCertifier(ServerKeys.directoryCertifier(s), Clock.systemUTC(), VALIDITY));
            // NA: Cert_j over (PID_j, PK_j, validity); the verifiers reach the center from the NA's table (erratum 4)
            MedicalCenterCertificate cert = na.registerMedicalCenter(mc.enrolment(), List.of());
            // MC: Cert_j is the NA's and for its own keys  (seed 001, §5.1.2 step 3)
            mc.install(cert);
            directory.add(cert.certJ());
            byte[] encoded = keys.encode();
            try {
                vault.putCenter(pid, encoded);
            } finally {
                Arrays.fill(encoded, (byte) 0);
            }
            cloudServer.shareKey(pid, keys.sharedKey);
            long now = System.currentTimeMillis();
            em.createNativeQuery("INSERT INTO cc_medical_center (pid, center_id, registered_by, registered_at) VALUES (?1, ?2, ?3, ?4)")
                    .setParameter(1, pid).setParameter(2, centerId).setParameter(3, registeredBy).setParameter(4, now).executeUpdate();
            em.flush();
            long index = ledger.registerMember(pid, Role.MEDICAL_CENTER, keys.party.signingPublic().encoded(), now,
                    now + VALIDITY.toMillis(), registeredBy).logIndex();
            LOG.info(() -> "CLOUD-CHAIN: medical center " + centerId + " registered as " + pid + " (by " + registeredBy + ")");
            return new CenterRegistered(centerId, pid, cert.certJ(), index);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        } finally {
            s.destroy();
            keys.destroy();
        }
    }

    /**
     * Removes medical center {@code pid} from the ledger's members: from then on the ledger refuses
     * its contracts and its access logs, so the cloud server releases nothing more to it.
     */
    public long revokeMedicalCenter(String pid, String revokedBy) throws DomainException {
        requireHex(pid, "INVALID_PID", "PID_j");
        if (em.createNativeQuery("SELECT pid FROM cc_medical_center WHERE pid = ?1").setParameter(1, pid).getResultList().isEmpty()) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_MEDICAL_CENTER", "no medical center with this PID_j");
        }
        long index = ledger.revokeMember(pid).logIndex();
        LOG.info(() -> "CLOUD-CHAIN: medical center " + pid + " removed from the ledger's members (by " + revokedBy + ")");
        return index;
    }

    /** {@code Cert_j} of a registered center (public; the patient's card verifies it). */
    public DirectoryEntry certificate(String pid) throws DomainException {
        requireHex(pid, "INVALID_PID", "PID_j");
        return directory.find(pc.curve(), CloudChainRoles.SCHEME, CloudChainRoles.MEDICAL_CENTER, pid)
                .orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_MEDICAL_CENTER",
                        "no medical center with this PID_j"));
    }

    /**
     * Patient registration step 2 (seed 001, §5.1.1 step 2) for the authenticated patient
     * {@code patientId}: {@code HID_i} in, {@code x_i} out (for the card only; never stored); the
     * NA keeps {@code HID_i} with {@code V_i = h(x_i)}. One card per patient.
     */
    public CardIssuance registerPatient(String hid, String patientId) throws DomainException {
        requireHex(hid, "INVALID_HID", "HID_i");
        if (!em.createNativeQuery("SELECT hid FROM cc_patient WHERE patient_id = ?1 OR hid = ?2").setParameter(1, patientId)
                .setParameter(2, hid).getResultList().isEmpty()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_REGISTERED",
                    "this patient, or this HID_i, already has a smartcard");
        }
        Environment env = pc.environment();
        MasterSecret s = kgcKeys.masterSecret();
        try {
            PatientRegistrationResult r = new NetworkAdministrator(env, s,
                    new KeyCertifier(ServerKeys.directoryCertifier(s), Clock.systemUTC(), VALIDITY))
                    .registerPatient(new PatientEnrolment(Hex.decode(hid)));
            em.createNativeQuery("INSERT INTO cc_patient (hid, patient_id, verifier, registered_at) VALUES (?1, ?2, ?3, ?4)")
                    .setParameter(1, hid).setParameter(2, patientId).setParameter(3, r.verifier().vI())
                    .setParameter(4, System.currentTimeMillis()).executeUpdate();
            LOG.info(() -> "CLOUD-CHAIN: smartcard issued to " + patientId);
            return r.issuance();
        } finally {
            s.destroy();
        }
    }

    /**
     * The personalized card's {@code PK_i = r_i·G}, recorded once by the NA on the ledger with
     * {@code HID_i} ({@code cloud-chain.patient}); from then on the patient can authenticate to
     * medical centers and sign contracts.
     */
    public PatientKeyRecorded registerPatientKey(String hid, byte[] patientKey, String patientId) throws DomainException {
        requireHex(hid, "INVALID_HID", "HID_i");
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT patient_id, patient_key FROM cc_patient WHERE hid = ?1")
                .setParameter(1, hid).getResultList();
        if (rows.isEmpty()) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_PATIENT", "no smartcard with this HID_i");
        }
        if (!patientId.equals(rows.get(0)[0])) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY", "this smartcard is another patient's");
        }
        if (rows.get(0)[1] != null) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_REGISTERED", "the card's key is already recorded");
        }
        try {
            pc.curve().decodePoint(patientKey);
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_KEY", "patientKey must be a valid compressed "
                    + pc.curve().name() + " point (" + e.reason() + ")");
        }
        if (!P256SignatureScheme.INSTANCE.isValidPublicKey(patientKey)) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_KEY", "patientKey must be a compressed P-256 point");
        }
        em.createNativeQuery("UPDATE cc_patient SET patient_key = ?1 WHERE hid = ?2").setParameter(1, patientKey).setParameter(2, hid)
                .executeUpdate();
        em.flush();
        long index = ledger.submitAsKgc(CloudChainContract.NAME, "patient", Arguments.builder().put("hid", hid)
                .put("patientKey", Bytes.of(patientKey)).build()).logIndex();
        indexEntry(index, hid, "patient");
        return new PatientKeyRecorded(hid, index);
    }

    /** {@code V_i} of a patient whose card is complete (its key recorded), for the centers (erratum 4). */
    public Optional<byte[]> verifier(byte[] hidI) {
        @SuppressWarnings("unchecked")
        List<byte[]> rows = em.createNativeQuery("SELECT verifier FROM cc_patient WHERE hid = ?1 AND patient_key IS NOT NULL")
                .setParameter(1, Hex.toHexString(hidI)).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** The Keycloak patient who holds the card {@code HID_i}, if any. */
    public Optional<String> holderOf(byte[] hidI) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("SELECT patient_id FROM cc_patient WHERE hid = ?1")
                .setParameter(1, Hex.toHexString(hidI)).getResultList();
        return rows.stream().findFirst();
    }

    /** Indexes a committed ledger entry about {@code HID_i} (its key, a contract) for the patient's own listing. */
    public void indexEntry(long logIndex, String hid, String kind) {
        em.createNativeQuery("INSERT INTO cc_ledger_entry (log_index, hid, kind) VALUES (?1, ?2, ?3)").setParameter(1, logIndex)
                .setParameter(2, hid).setParameter(3, kind).executeUpdate();
    }

    /**
     * The log indexes of every ledger entry about card {@code HID_i} (its key, its contracts, every
     * access), oldest first, for the card's holder or an auditor.
     */
    public List<Long> ledgerEntriesOf(String hid, String callerId, boolean auditor) throws DomainException {
        requireHex(hid, "INVALID_HID", "HID_i");
        Optional<String> holder = holderOf(Hex.decode(hid));
        if (holder.isEmpty()) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_PATIENT", "no smartcard with this HID_i");
        }
        if (!auditor && !holder.get().equals(callerId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY", "this smartcard is another patient's");
        }
        java.util.TreeSet<Long> out = new java.util.TreeSet<>();
        for (Object o : em.createNativeQuery("SELECT log_index FROM cc_ledger_entry WHERE hid = ?1").setParameter(1, hid).getResultList()) {
            out.add(((Number) o).longValue());
        }
        for (Object o : em.createNativeQuery("SELECT log_index FROM access_entry WHERE patient_id = ?1 AND scheme = ?2").setParameter(1, hid)
                .setParameter(2, CloudChainRoles.SCHEME).getResultList()) {
            out.add(((Number) o).longValue());
        }
        return List.copyOf(out);
    }

    static void requireHex(String value, String code, String what) throws DomainException {
        if (value == null || !HEX32.matcher(value).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, code, what + " must be 64 lowercase hex digits");
        }
    }
}
