package org.medledger.doctorcustody;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import org.medledger.custody.KeyEntry;
import org.medledger.custody.Pkcs12Vault;
import org.medledger.emrauth.FhirRecords;
import org.medledger.emrauth.HospitalCloudService;
import org.medledger.emrauth.PublicCloudService;
import org.medledger.kgc.IssuedRegistration;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.platform.DatabaseReplayGuard;
import org.medledger.platform.DomainException;
import org.medledger.platform.Refusals;
import org.medledger.platform.SessionStore;
import org.medledger.relay.Mailbox;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SessionSealer;
import org.medledger.protocol.emrauth.ConsultationRequest;
import org.medledger.protocol.emrauth.DoctorConsultation;
import org.medledger.protocol.emrauth.SignalDelivery;
import org.medledger.protocol.emrauth.Doctor;
import org.medledger.protocol.emrauth.DoctorEmrSearch;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.emrauth.EmrRequest;
import org.medledger.protocol.emrauth.HospitalAccessRequest;
import org.medledger.protocol.emrauth.RegistrationResponse;

/**
 * A doctor's EMR-AUTH work from the portal with keys in portal custody (opt-in; the device client
 * stays the default). The doctor creates the keys from its own session: they are generated here
 * for that doctor, registered with the KGC (eq. 8–10, the same {@code Cert_D} decision), certified
 * in the directory and kept in the hospital key store ({@code doctor-custody:<id>}), loaded per
 * call and destroyed after it. They are used only by the doctor itself — the caller must be the
 * doctor, whose session exists only through its certificate login — and each use is first an
 * access entry on the ledger ({@link CustodyUses}). The protocol runs against the same EJBs the
 * REST API calls: the public cloud's search, the hospital's access session and release, the
 * hospital's store of EMR versions.
 */
@Stateless
@RolesAllowed("doctor")
public class DoctorCustodyService {

    private static final Logger LOG = Logger.getLogger(DoctorCustodyService.class.getName());
    private static final Pkcs12Vault VAULT = Pkcs12Vault.named("hospital");
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int MAX_DIAGNOSIS = 2000;
    static final String CONSULTATION = "EMR-AUTH/DoctorConsultation";
    static final Duration CONSULTATION_LIFETIME = Duration.ofMinutes(30);

    @EJB
    KgcRegistrationService kgc;

    @EJB
    PublicCloudService pc;

    @EJB
    HospitalCloudService hospitals;

    @EJB
    CustodyUses uses;

    @EJB
    Mailbox mailbox;

    @EJB
    SessionStore sessions;

    @jakarta.inject.Inject
    DatabaseReplayGuard replayGuard;

    @Resource
    SessionContext context;

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    /** A doctor's custody: at which hospital's key store, for which certificate, since when. */
    public record Custody(String doctorId, String hospitalId, String certificateSha256, long createdAt) {
    }

    /**
     * A read of a patient's record for one department: released (with the FHIR content) or refused,
     * with the hospital's access entry on the ledger; {@code keyUseIndex} is the custody key's use entry.
     */
    public record Read(boolean released, String hospitalId, String reason, long logIndex, long keyUseIndex, byte[] content) {
    }

    /** A new EMR version written with the custody keys. */
    public record Written(String hospitalId, long keyUseIndex, int resources) {
    }

    /** The caller's custody, if it has one. */
    public Optional<Custody> custody(String doctorId) throws DomainException {
        requireSelf(doctorId);
        List<?> rows = em.createNativeQuery("SELECT hospital_id, certificate_sha256, created_at FROM doctor_custody "
                + "WHERE doctor_id = ?1").setParameter(1, doctorId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new Custody(doctorId, (String) r[0], (String) r[1], ((Number) r[2]).longValue()));
    }

    /**
     * Creates the caller's keys in custody of hospital {@code hospitalId} (served here): signing and
     * KEM keys generated for the doctor, {@code (R_D1, S_D)} from the KGC for {@code certificateDer}
     * checked (eq. 10), public keys certified in the directory, everything in the hospital key
     * store. A doctor already registered (its keys on its device) keeps the device.
     */
    public Custody create(String doctorId, byte[] certificateDer, String hospitalId) throws DomainException {
        requireSelf(doctorId);
        if (hospitalId == null || !hospitals.isRegistered(hospitalId)) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_HOSPITAL",
                    "choose a hospital served here to keep the keys");
        }
        IssuedRegistration issued = kgc.registerDoctorByCertificateLogin(doctorId, certificateDer);
        Environment env = pc.environment();
        PartyKeys keys = PartyKeys.generate(env.curve(), RANDOM);
        byte[] s = issued.s();
        KeyEntry custody = null;
        try {
            RegistrationResponse partial = RegistrationResponse.fromFields(env.curve(), issued.r(), s);
            // S_D·P == R_D1 + H(ID_D‖Cert_D‖R_D1)·PK  (seed 000, eq. 10)
            new Doctor(env, kgcPublicKey(), doctorId, certificateDer).acceptRegistration(partial);
            custody = KeyEntry.generated(KeyEntry.DOCTOR_CUSTODY, env.curve(), keys, issued.r(), partial.s(), certificateDer, RANDOM);
            byte[] encoded = custody.encode();
            try {
                VAULT.put(alias(doctorId), encoded);
            } finally {
                Arrays.fill(encoded, (byte) 0);
            }
            pc.certifyParty(EmrAuthRoles.DOCTOR, doctorId, keys.signingPublic().encoded(), keys.kemPublic().encoded(), null,
                    doctorId);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        } finally {
            Arrays.fill(s, (byte) 0);
            issued.wipe();
            if (custody != null) {
                custody.destroy();
            } else {
                keys.destroy();
            }
        }
        long now = System.currentTimeMillis();
        String fingerprint = sha256Hex(certificateDer);
        em.createNativeQuery("INSERT INTO doctor_custody (doctor_id, hospital_id, certificate_sha256, created_at) "
                + "VALUES (?1, ?2, ?3, ?4)").setParameter(1, doctorId).setParameter(2, hospitalId)
                .setParameter(3, fingerprint).setParameter(4, now).executeUpdate();
        LOG.info(() -> "Doctor " + doctorId + ": EMR-AUTH keys created in the custody of hospital " + hospitalId);
        return new Custody(doctorId, hospitalId, fingerprint, now);
    }

    /**
     * EMR search (eq. 25–48) for {@code patientId}'s record in {@code departmentId}: the key use on
     * the ledger, then step 2 at the public cloud, step 4 and step 6 at the holding hospital, whose
     * access entry is on the ledger before the record is released; the record is read with
     * {@code SEK2} and checked as FHIR R4. Each step commits in a transaction of its own, as the
     * device's separate requests do (the hospital's sealed session is taken in one of its own).
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Read read(String doctorId, String patientId, String departmentId) throws DomainException {
        requireId(patientId, "INVALID_PATIENT_ID", "patient");
        requireId(departmentId, "INVALID_DEPARTMENT", "department");
        try (Loaded l = load(doctorId)) {
            long use = uses.record(l.custodian, patientId, doctorId, "READ");
            DoctorEmrSearch s = l.doctor.startEmrSearch(PublicCloudService.PC_ID, patientId, departmentId);
            HospitalAccessRequest access = s.acceptSearchResponse(pc.search(s.request(), doctorId).response());
            HospitalCloudService.OpenedSession opened = hospitals.openAccess(s.hospitalId(), access, doctorId);
            EmrRequest request = s.acceptAccessResponse(opened.response());
            try {
                HospitalCloudService.ReleaseOutcome out = hospitals.release(s.hospitalId(), opened.sessionId(), request, doctorId);
                if (!out.released()) {
                    return new Read(false, s.hospitalId(), out.reason(), out.logIndex(), use, null);
                }
                byte[] emr = s.readEmr(out.delivery());
                FhirRecords.requireValid(emr);
                return new Read(true, s.hospitalId(), out.reason(), out.logIndex(), use, emr);
            } finally {
                s.sessionKey().destroy();
            }
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
    }

    /**
     * Writes {@code diagnosis} as a new EMR version of {@code patientId}'s record in
     * {@code departmentId}: the current version is read (a use and an access of its own), the
     * diagnosis is added to it as a FHIR {@code Condition} (a first version when there is none yet,
     * kept at the custodian hospital), and the doctor-signed version goes to the holding hospital
     * (eq. 49–50 storage, erratum 8 index update), which stores it only with the patient's consent.
     */
    public Written writeDiagnosis(String doctorId, String patientId, String departmentId, String diagnosis)
            throws DomainException {
        requireId(patientId, "INVALID_PATIENT_ID", "patient");
        requireId(departmentId, "INVALID_DEPARTMENT", "department");
        if (diagnosis == null || diagnosis.isBlank() || diagnosis.length() > MAX_DIAGNOSIS) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_DIAGNOSIS",
                    "the diagnosis must be 1 to " + MAX_DIAGNOSIS + " characters");
        }
        Custody c = custody(doctorId).orElseThrow(DoctorCustodyService::noCustody);
        byte[] current = null;
        String holder = c.hospitalId();
        try {
            Read r = context.getBusinessObject(DoctorCustodyService.class).read(doctorId, patientId, departmentId);
            if (r.released()) {
                current = r.content();
                holder = r.hospitalId();
            } else if (!"UNKNOWN_PARTY".equals(r.reason())) {
                throw new DomainException(DomainException.Kind.FORBIDDEN, r.reason(),
                        "the current record could not be read (ledger entry " + r.logIndex() + "), so nothing is written");
            } else {
                holder = r.hospitalId();
            }
        } catch (DomainException e) {
            if (!"UNKNOWN_PARTY".equals(e.code())) {
                throw e;
            }
            // no record indexed for this patient and department yet: the first version
        }
        byte[] content = DiagnosisRecords.withDiagnosis(current, patientId, doctorId, diagnosis.strip());
        try (Loaded l = load(doctorId)) {
            long use = uses.record(l.custodian, patientId, doctorId, "WRITE");
            hospitals.storeVersion(holder, l.doctor.submitEmrVersion(holder, patientId, departmentId, content), doctorId);
            String h = holder;
            LOG.info(() -> "Doctor " + doctorId + " wrote a diagnosis (custody keys) at hospital " + h);
            return new Written(holder, use, DiagnosisRecords.resources(content));
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
    }

    /** An open consultation: the session id the page carries to the next step, and the patient's signal once read. */
    public record Consultation(String sessionId, String patientId, String signal) {
    }

    /**
     * Consultation steps 2–3 (eq. 14–19) for the request {@code patientId}'s device left in the
     * relay: the key use on the ledger, then the protocol's checks of the patient ({@code Sig_P1},
     * {@code R_P1}, freshness, replay), {@code SEK1} and the response back through the relay; the
     * session is sealed with the doctor's session key and kept 30 minutes, used once.
     */
    public Consultation answerConsultation(String doctorId, String patientId) throws DomainException {
        requireId(patientId, "INVALID_PATIENT_ID", "patient");
        byte[] request = mailbox.take(doctorId, patientId, "consultation-request").orElseThrow(() -> new DomainException(
                DomainException.Kind.NOT_FOUND, "NO_CONSULTATION_REQUEST",
                "no consultation request from " + patientId + " is waiting; ask the patient to start one on its device"));
        try (Loaded l = load(doctorId)) {
            uses.record(l.custodian, patientId, doctorId, "CONSULT");
            DoctorConsultation c = l.doctor.acceptConsultation(ConsultationRequest.decode(l.doctor.keys().signing().curve(), request));
            try {
                if (!c.patientId().equals(patientId)) {
                    throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY",
                            "the consultation request names another patient than its sender");
                }
                mailbox.send(doctorId, patientId, "consultation-response", c.response().encode());
                String id = SessionStore.newId();
                sessions.put(id, CONSULTATION, doctorId, c.export(l.sealer(), id), Instant.now().plus(CONSULTATION_LIFETIME));
                return new Consultation(id, patientId, null);
            } finally {
                c.sessionKey().destroy();
            }
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
    }

    /**
     * Consultation step 4 (eq. 24): the patient's signal under {@code SEK1}, once it is in the
     * relay; the session then continues under a new id. Without a signal yet, nothing changes.
     */
    public Consultation readSignal(String doctorId, String sessionId, String patientId) throws DomainException {
        requireId(patientId, "INVALID_PATIENT_ID", "patient");
        Optional<byte[]> delivery = mailbox.take(doctorId, patientId, "signal");
        if (delivery.isEmpty()) {
            return new Consultation(sessionId, patientId, null);
        }
        byte[] sealed = sessions.take(sessionId, CONSULTATION, doctorId);
        try (Loaded l = load(doctorId)) {
            DoctorConsultation c = resume(l, sessionId, sealed, patientId);
            try {
                byte[] signal = c.readSignal(SignalDelivery.decode(l.doctor.keys().signing().curve(), delivery.get()));
                String next = SessionStore.newId();
                sessions.put(next, CONSULTATION, doctorId, c.export(l.sealer(), next), Instant.now().plus(CONSULTATION_LIFETIME));
                return new Consultation(next, patientId, new String(signal, StandardCharsets.UTF_8));
            } finally {
                c.sessionKey().destroy();
            }
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
    }

    /**
     * The diagnosis (eq. 49): stored as a new EMR version of the patient's record in
     * {@code departmentId} ({@link #writeDiagnosis}), then sent to the patient under {@code SEK1}
     * through the relay — both or neither. The session is used up.
     */
    public Written diagnoseConsultation(String doctorId, String sessionId, String patientId, String departmentId,
                                        String diagnosis) throws DomainException {
        requireId(patientId, "INVALID_PATIENT_ID", "patient");
        byte[] sealed = sessions.take(sessionId, CONSULTATION, doctorId);
        Written w = writeDiagnosis(doctorId, patientId, departmentId, diagnosis);
        try (Loaded l = load(doctorId)) {
            DoctorConsultation c = resume(l, sessionId, sealed, patientId);
            try {
                uses.record(l.custodian, patientId, doctorId, "DIAGNOSE");
                mailbox.send(doctorId, patientId, "diagnosis", c.diagnose(diagnosis.strip().getBytes(StandardCharsets.UTF_8)).encode());
            } finally {
                c.sessionKey().destroy();
            }
            return w;
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
    }

    private static DoctorConsultation resume(Loaded l, String sessionId, byte[] sealed, String patientId)
            throws ProtocolException, DomainException {
        DoctorConsultation c = l.doctor.resumeConsultation(l.sealer(), sessionId, sealed);
        if (!c.patientId().equals(patientId)) {
            c.sessionKey().destroy();
            throw new DomainException(DomainException.Kind.FORBIDDEN, "SESSION_UNKNOWN",
                    "this consultation is with another patient");
        }
        return c;
    }

    /** The caller's keys loaded for one call, with its protocol party. */
    private final class Loaded implements AutoCloseable {
        final KeyEntry keys;
        final Doctor doctor;
        final String custodian;

        Loaded(KeyEntry keys, Doctor doctor, String custodian) {
            this.keys = keys;
            this.doctor = doctor;
            this.custodian = custodian;
        }

        /** Seals this doctor's consultation sessions; a sealed session opens once (database replay guard). */
        SessionSealer sealer() {
            return new SessionSealer(keys.sessionKey, Clock.systemUTC(), RANDOM, CONSULTATION_LIFETIME, replayGuard);
        }

        @Override
        public void close() {
            keys.destroy();
        }
    }

    private Loaded load(String doctorId) throws DomainException {
        Custody c = custody(doctorId).orElseThrow(DoctorCustodyService::noCustody);
        SecretBytes raw = VAULT.secret(alias(doctorId)).orElseThrow(() -> new DomainException(
                DomainException.Kind.UNAVAILABLE, "CUSTODY_KEY_UNAVAILABLE", "the doctor's keys are missing from the key store"));
        byte[] b = raw.reveal();
        KeyEntry keys = null;
        try {
            Environment env = pc.environment();
            keys = KeyEntry.decode(KeyEntry.DOCTOR_CUSTODY, env.curve(), b);
            Doctor d = new Doctor(env, pc.trust(env), keys.party, doctorId, keys.certificate);
            d.acceptRegistration(keys.registrationResponse(env.curve()));
            return new Loaded(keys, d, c.hospitalId());
        } catch (ProtocolException e) {
            if (keys != null) {
                keys.destroy();
            }
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "CUSTODY_KEY_UNAVAILABLE",
                    "the doctor's keys in the key store do not open");
        } finally {
            Arrays.fill(b, (byte) 0);
            raw.destroy();
        }
    }

    private org.medledger.protocol.common.MasterPublicKey kgcPublicKey() throws DomainException {
        return pc.trust(pc.environment()).masterPublicKey();
    }

    /** Only the doctor itself, in its own (certificate-authenticated) session, reaches its keys. */
    private void requireSelf(String doctorId) throws DomainException {
        if (doctorId == null || !context.isCallerInRole("doctor") || !context.getCallerPrincipal().getName().equals(doctorId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY",
                    "a doctor's keys in custody are used only in that doctor's own session");
        }
    }

    private static DomainException noCustody() {
        return new DomainException(DomainException.Kind.NOT_FOUND, "NO_CUSTODY_KEYS",
                "you have no keys in the portal's custody; create them first, or use your device");
    }

    private static void requireId(String id, String code, String what) throws DomainException {
        if (id == null || !KgcRegistrationService.PARTY_ID.matcher(id).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, code,
                    "enter the " + what + "'s identifier: letters, digits, '.', '_', '@' or '-'");
        }
    }

    static String alias(String doctorId) {
        return "doctor-custody:" + doctorId.toLowerCase(java.util.Locale.ROOT);
    }

    private static String sha256Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
