package org.medledger.kgc.boundary;

import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import org.medledger.consensus.EcKeys;
import org.medledger.consensus.LedgerNode;
import org.medledger.consensus.LedgerRecord;
import org.medledger.custody.KgcKeyStore;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Receipt;
import org.medledger.identity.KeycloakSessions;
import org.medledger.identity.MedicalAuthorityTrust;
import org.medledger.kgc.IssuedRegistration;
import org.medledger.kgc.KgcPublicKey;
import org.medledger.kgc.entity.DoctorRegistrations;
import org.medledger.kgc.entity.PartialKeyHistory;
import org.medledger.kgc.entity.PatientRegistrations;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.CertificateVerifier;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PkixCertificateVerifier;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.VerificationKey;
import org.medledger.protocol.emrauth.DoctorRegistration;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.common.PartialKeyRenewal;
import org.medledger.protocol.emrauth.EmrAuthRenewal;
import org.medledger.protocol.pki.RegistrationProof;
import org.medledger.protocol.emrauth.PatientRegistration;
import org.medledger.protocol.emrauth.PublicCloud;
import org.medledger.protocol.emrauth.RegistrationResponse;

/**
 * The KGC (EMR-AUTH's public cloud in its key-issuing role): patient and doctor registration,
 * seed 000 eq. 2–3 and 8–9. The arithmetic lives in {@link PublicCloud}; this bean validates
 * input, fetches the master secret for the duration of one call, and records the public result.
 * Every method declares the roles it serves and checks "only itself" rules against the caller the
 * container propagates from the REST and JSF layers, so a second front end cannot bypass them.
 */
@Stateless
public class KgcRegistrationService {

    private static final Logger LOG = Logger.getLogger(KgcRegistrationService.class.getName());

    /** Identifiers are printable, bounded and free of separators that could confuse logs. */
    public static final Pattern PARTY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    public static final int MIN_BIOMETRIC_SECRET = 16;
    public static final int MAX_BIOMETRIC_SECRET = 64;
    public static final int MAX_CERTIFICATE = 16 * 1024;

    @Inject
    KgcKeyStore keys;

    @Inject
    PatientRegistrations patients;

    @Inject
    DoctorRegistrations doctors;

    @Inject
    MedicalAuthorityTrust medicalAuthority;

    @jakarta.ejb.EJB
    LedgerNode ledger;

    @jakarta.ejb.EJB
    org.medledger.emrauth.PublicCloudService emrPublicCloud;

    @Inject
    KeycloakSessions sessions;

    @Inject
    PartialKeyHistory history;

    @jakarta.ejb.EJB
    PartialKeyRenewals renewals;

    @Resource
    SessionContext context;

    @jakarta.ejb.EJB
    org.medledger.interhospital.ConsortiumAuthority consortiumAuthority;

    @PermitAll
    public KgcPublicKey publicKey() throws DomainException {
        if (!ledger.isAuthority()) {
            // a consortium node that is not the authority: its parties use the authority's KGC key,
            // fetched again when a rotation of it reaches this node's ledger
            return consortiumAuthority.publicKey();
        }
        MasterPublicKey pk = keys.publicKey();
        return new KgcPublicKey(pk.curve().name(), pk.encoded(), keyId(pk));
    }

    /**
     * Issues {@code (R_P1, S_P)} for {@code patientId} and records the registration.
     *
     * @param registeredBy the authenticated caller, recorded for audit
     */
    @RolesAllowed({"patient", "kgc-operator"})
    public IssuedRegistration registerPatient(String patientId, byte[] biometricSecret, String registeredBy)
            throws DomainException {
        requireId(patientId, "INVALID_PATIENT_ID", "patientId");
        requireCaller(registeredBy);
        requireSelfUnless("kgc-operator", patientId, "a patient may register only its own identity");
        if (biometricSecret == null || biometricSecret.length < MIN_BIOMETRIC_SECRET
                || biometricSecret.length > MAX_BIOMETRIC_SECRET) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_BIOMETRIC_SECRET",
                    "biometricSecret must be " + MIN_BIOMETRIC_SECRET + " to " + MAX_BIOMETRIC_SECRET + " bytes");
        }
        if (patients.exists(patientId)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_REGISTERED",
                    "patient " + patientId + " is already registered");
        }
        SecretBytes bP = SecretBytes.copyOf(biometricSecret);
        try {
            IssuedRegistration issued = issue(patientId, (pc, env) -> pc.registerPatient(new PatientRegistration(patientId, bP)));
            patients.add(patientId, Base64.getEncoder().encodeToString(issued.r()), issued.kgcKeyId(), registeredBy,
                    issued.registeredAt());
            LOG.info(() -> "KGC registered patient " + patientId + " (by " + registeredBy + ")");
            return issued;
        } finally {
            bP.destroy();
        }
    }

    /**
     * Doctor registration (seed 000, eq. 8–9): stops unless the request proves possession of the
     * private key of {@code Cert_D} ({@link RegistrationProof}, whoever submits it) and
     * {@code Cert_D} is a legal medical-authority certificate for {@code doctorId} — path,
     * validity, key usage, clientAuth, CRL and OCSP — the same decision Keycloak takes at the
     * doctor's login. Cheap checks (syntax, duplicate id, one signature) run before the expensive
     * ones (path validation, CRL and OCSP, the key store), so refused requests cost little.
     *
     * @param proofTime    the time the doctor's device signed the proof
     * @param proof        the device's signature ({@code r ‖ s})
     * @param registeredBy the authenticated caller, recorded for audit and on the ledger
     */
    @RolesAllowed({"doctor", "kgc-operator"})
    public IssuedRegistration registerDoctor(String doctorId, byte[] certificateDer, Instant proofTime, byte[] proof,
                                             String registeredBy) throws DomainException {
        requireId(doctorId, "INVALID_DOCTOR_ID", "doctorId");
        requireCaller(registeredBy);
        requireSelfUnless("kgc-operator", doctorId, "a doctor may register only its own identity");
        if (certificateDer == null || certificateDer.length == 0 || certificateDer.length > MAX_CERTIFICATE) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_CERTIFICATE",
                    "certificate must be a DER X.509 certificate of at most " + MAX_CERTIFICATE + " bytes");
        }
        X509Certificate cert;
        try {
            cert = PkixCertificateVerifier.parse(certificateDer);
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_CERTIFICATE", "not a DER X.509 certificate");
        }
        // A registered doctor registers again only after the ledger records its revocation, under a
        // new key, submitted by a KGC operator (the revoked doctor's own tokens are refused): the
        // recovery path of a doctor whose registered key was lost or was never its own.
        boolean again = doctors.exists(doctorId);
        if (again && !ledger.isRevoked(doctorId)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_REGISTERED",
                    "doctor " + doctorId + " is already registered");
        }
        if (again && !context.isCallerInRole("kgc-operator")) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "REREGISTRATION_BY_OPERATOR",
                    "a revoked doctor registers again through a KGC operator");
        }
        if (again && sameLedgerKey(doctorId, EcKeys.compressed(cert))) {
            throw new DomainException(DomainException.Kind.CONFLICT, "REVOKED_KEY",
                    "doctor " + doctorId + " registers again only under a new key");
        }
        try {
            RegistrationProof.verify(cert, certificateDer, doctorId, proofTime, proof, Clock.systemUTC().instant());
        } catch (ProtocolException e) {
            throw e.reason() == Reason.STALE_TIMESTAMP
                    ? new DomainException(DomainException.Kind.INVALID, "STALE_PROOF",
                            "the proof of possession must be signed within " + RegistrationProof.MAX_SKEW.toMinutes()
                                    + " minutes of the server's clock")
                    : new DomainException(DomainException.Kind.FORBIDDEN, "NO_PROOF_OF_POSSESSION",
                            "the request is not signed by the key of the certificate");
        }
        return issueDoctor(doctorId, certificateDer, cert, registeredBy, again);
    }

    /**
     * Doctor registration for the portal's key custody ({@code docs/architecture.md}): the caller
     * is the doctor itself, and a doctor's portal session exists only through Keycloak's X.509
     * login with a medical-authority certificate for this identity (doctors have no password), so
     * that login is the proof of possession the device's signature gives otherwise. The
     * {@code Cert_D} decision and the ledger membership are those of {@link #registerDoctor}.
     */
    @RolesAllowed("doctor")
    public IssuedRegistration registerDoctorByCertificateLogin(String doctorId, byte[] certificateDer)
            throws DomainException {
        requireId(doctorId, "INVALID_DOCTOR_ID", "doctorId");
        if (!context.getCallerPrincipal().getName().equals(doctorId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY",
                    "a doctor may register only its own identity");
        }
        if (certificateDer == null || certificateDer.length == 0 || certificateDer.length > MAX_CERTIFICATE) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_CERTIFICATE",
                    "certificate must be a DER X.509 certificate of at most " + MAX_CERTIFICATE + " bytes");
        }
        X509Certificate cert;
        try {
            cert = PkixCertificateVerifier.parse(certificateDer);
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_CERTIFICATE", "not a DER X.509 certificate");
        }
        if (doctors.exists(doctorId)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_REGISTERED",
                    "doctor " + doctorId + " is already registered");
        }
        return issueDoctor(doctorId, certificateDer, cert, doctorId, false);
    }

    /**
     * Eq. 8–9 after the {@code Cert_D} decision, the public record and the ledger membership
     * ({@code again}: a revoked doctor's new registration replaces the old one).
     */
    private IssuedRegistration issueDoctor(String doctorId, byte[] certificateDer, X509Certificate cert, String registeredBy,
                                           boolean again) throws DomainException {
        CertificateVerifier verifier = medicalAuthority.verifier(Clock.systemUTC());
        IssuedRegistration issued = issue(doctorId, (pc, env) -> pc.registerDoctor(new DoctorRegistration(doctorId,
                certificateDer)), verifier);
        if (again) {
            doctors.remove(doctorId);
        }
        doctors.add(doctorId, Base64.getEncoder().encodeToString(issued.r()), cert.getSerialNumber().toString(16),
                sha256Hex(certificateDer), issued.kgcKeyId(), registeredBy, issued.registeredAt());
        // The doctor becomes a ledger member with the key of its certificate, the registering caller
        // named in the transaction. If the ledger refuses, the registration rolls back and S_D is
        // never released.
        try {
            if (again) {
                ledger.reregisterMember(doctorId, Role.DOCTOR, EcKeys.compressed(cert), cert.getNotBefore().getTime(),
                        cert.getNotAfter().getTime(), registeredBy);
            } else {
                ledger.registerMember(doctorId, Role.DOCTOR, EcKeys.compressed(cert), cert.getNotBefore().getTime(),
                        cert.getNotAfter().getTime(), registeredBy);
            }
        } catch (DomainException e) {
            issued.wipe();
            throw e;
        }
        LOG.info(() -> "KGC registered doctor " + doctorId + (again ? " again, after its revocation," : "") + " (certificate serial " + cert.getSerialNumber().toString(16)
                + ", by " + registeredBy + ")");
        return issued;
    }

    /** Whether {@code memberId}'s certificate on the ledger is for {@code publicKey} (SEC1 compressed). */
    private boolean sameLedgerKey(String memberId, byte[] publicKey) {
        return ledger.state(org.medledger.ledger.member.MemberDirectory.NS_MEMBER, memberId)
                .map(v -> org.medledger.ledger.member.MemberCertificate.decode(v.value()).publicKey()
                        .equals(org.medledger.ledger.codec.Bytes.of(publicKey)))
                .orElse(false);
    }

    /**
     * Records on the ledger that the medical authority revoked the certificate a doctor registered
     * with: the certificate must be the registered one and the authority (CRL or OCSP) must say
     * revoked. The doctor's Keycloak sessions end, and from then on the doctor is a revoked ledger
     * member whose remaining access tokens the API refuses.
     */
    @RolesAllowed({"kgc-operator", "hospital-admin"})
    public LedgerRecord recordDoctorRevocation(String doctorId, byte[] certificateDer, String recordedBy)
            throws DomainException {
        requireId(doctorId, "INVALID_DOCTOR_ID", "doctorId");
        requireCaller(recordedBy);
        String registered = doctors.certificateFingerprint(doctorId).orElseThrow(() -> new DomainException(
                DomainException.Kind.NOT_FOUND, "NOT_REGISTERED", "doctor " + doctorId + " is not registered"));
        if (certificateDer == null || !registered.equals(sha256Hex(certificateDer))) {
            throw new DomainException(DomainException.Kind.CONFLICT, "NOT_THE_REGISTERED_CERTIFICATE",
                    "the certificate is not the one " + doctorId + " registered with");
        }
        try {
            medicalAuthority.verifier(Clock.systemUTC()).requireLegal(certificateDer, doctorId);
            throw new DomainException(DomainException.Kind.CONFLICT, "NOT_REVOKED",
                    "the medical authority has not revoked this certificate");
        } catch (ProtocolException e) {
            if (e.reason() != Reason.CERT_REVOKED) {
                throw refusal(e);
            }
        }
        // The doctor's Keycloak sessions and refresh tokens end first: if the identity provider cannot
        // be reached nothing is recorded and the caller retries; ending sessions twice is harmless.
        sessions.endSessions(doctorId);
        Receipt receipt = ledger.revokeMember(doctorId);
        LOG.info(() -> "Revocation of doctor " + doctorId + " recorded on the ledger at index " + receipt.logIndex()
                + " (by " + recordedBy + ")");
        return LedgerRecord.of(receipt);
    }

    /** The stored, public part of a patient registration. */
    @RolesAllowed({"patient", "kgc-operator", "auditor"})
    public IssuedRegistration.Record registration(String patientId) throws DomainException {
        requireId(patientId, "INVALID_PATIENT_ID", "patientId");
        if (!context.isCallerInRole("auditor")) {
            requireSelfUnless("kgc-operator", patientId, "a patient may read only its own registration");
        }
        return patients.find(patientId).orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND,
                "NOT_REGISTERED", "patient " + patientId + " is not registered"));
    }

    /** The newest patient registrations (public parts), newest first, at most {@code limit}. */
    @RolesAllowed({"kgc-operator", "auditor"})
    public java.util.List<IssuedRegistration.Record> patientRegistrations(int limit) {
        return patients.newest(Math.max(0, Math.min(limit, 500)));
    }

    /** The newest doctor registrations (public parts), newest first, at most {@code limit}. */
    @RolesAllowed({"kgc-operator", "hospital-admin", "auditor"})
    public java.util.List<IssuedRegistration.DoctorRecord> doctorRegistrations(int limit) {
        return doctors.newest(Math.max(0, Math.min(limit, 500)));
    }

    /** The stored, public part of a doctor registration (who registered it, which certificate). */
    @RolesAllowed({"doctor", "kgc-operator", "auditor", "hospital-admin"})
    public IssuedRegistration.DoctorRecord doctorRegistration(String doctorId) throws DomainException {
        requireId(doctorId, "INVALID_DOCTOR_ID", "doctorId");
        if (!context.isCallerInRole("auditor") && !context.isCallerInRole("hospital-admin")) {
            requireSelfUnless("kgc-operator", doctorId, "a doctor may read only its own registration");
        }
        return doctors.find(doctorId).orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND,
                "NOT_REGISTERED", "doctor " + doctorId + " is not registered"));
    }

    /** A renewal done: the fresh partial key under the current key id (the party's secret {@code S}) and its ledger entry. */
    public record Renewed(IssuedRegistration issued, String previousKeyId, long logIndex) {
    }

    /** Replay scope of renewal proofs in the database replay guard. */
    static final String RENEWAL_SCOPE = PartialKeyRenewals.SCOPE;

    /**
     * Renews a patient's partial key under the current master key generation (docs/protocols/
     * kgc-key-rotation.md): the request carries the biometric secret as at registration and a proof
     * signed by the partial key the patient holds under {@code kgcKeyId}; the KGC issues a fresh
     * {@code (R_P1, S_P)} (eq. 2–3), keeps the old one listed as superseded, re-certifies the
     * patient's directory entry with the new {@code R_P1} and appends one ledger entry.
     */
    @RolesAllowed("patient")
    public Renewed renewPatient(String patientId, byte[] biometricSecret, String kgcKeyId, Instant proofTime, byte[] proof,
                                String renewedBy) throws DomainException {
        requireId(patientId, "INVALID_PATIENT_ID", "patientId");
        requireRenewalCaller(patientId, renewedBy);
        if (biometricSecret == null || biometricSecret.length < MIN_BIOMETRIC_SECRET
                || biometricSecret.length > MAX_BIOMETRIC_SECRET) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_BIOMETRIC_SECRET",
                    "biometricSecret must be " + MIN_BIOMETRIC_SECRET + " to " + MAX_BIOMETRIC_SECRET + " bytes");
        }
        IssuedRegistration.Record rec = patients.find(patientId).orElseThrow(() -> new DomainException(
                DomainException.Kind.NOT_FOUND, "NOT_REGISTERED", "patient " + patientId + " is not registered"));
        SecretBytes bP = SecretBytes.copyOf(biometricSecret);
        try {
            String provenR = renewals.check(EmrAuthRenewal.PATIENT, patientId, new PartialKeyRenewals.Held(rec.kgcKeyId(),
                    rec.rP1Base64()), kgcKeyId, (pk, r) -> EmrAuthRenewal.patientKey(pk, patientId, bP, r), proofTime, proof);
            IssuedRegistration issued = issue(patientId, (pc, env) -> pc.registerPatient(new PatientRegistration(patientId, bP)));
            return renewed(EmrAuthRenewal.PATIENT, patientId, kgcKeyId, provenR, issued, renewedBy);
        } finally {
            bP.destroy();
        }
    }

    /**
     * Renews a doctor's partial key under the current master key generation: the request carries
     * the registered {@code Cert_D} (still legal for the doctor, as at registration) and a proof
     * signed by the partial key the doctor holds under {@code kgcKeyId}; the KGC issues a fresh
     * {@code (R_D1, S_D)} (eq. 8–9, the sealed copy for the search phase replaced), keeps the old
     * one listed as superseded, re-certifies the doctor's directory entry and appends one ledger entry.
     */
    @RolesAllowed("doctor")
    public Renewed renewDoctor(String doctorId, byte[] certificateDer, String kgcKeyId, Instant proofTime, byte[] proof,
                               String renewedBy) throws DomainException {
        requireId(doctorId, "INVALID_DOCTOR_ID", "doctorId");
        requireRenewalCaller(doctorId, renewedBy);
        if (certificateDer == null || certificateDer.length == 0 || certificateDer.length > MAX_CERTIFICATE) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_CERTIFICATE",
                    "certificate must be a DER X.509 certificate of at most " + MAX_CERTIFICATE + " bytes");
        }
        IssuedRegistration.DoctorRecord rec = doctors.find(doctorId).orElseThrow(() -> new DomainException(
                DomainException.Kind.NOT_FOUND, "NOT_REGISTERED", "doctor " + doctorId + " is not registered"));
        if (!rec.certificateSha256().equals(sha256Hex(certificateDer))) {
            throw new DomainException(DomainException.Kind.CONFLICT, "NOT_THE_REGISTERED_CERTIFICATE",
                    "the certificate is not the one " + doctorId + " registered with");
        }
        String provenR = renewals.check(EmrAuthRenewal.DOCTOR, doctorId, new PartialKeyRenewals.Held(rec.kgcKeyId(),
                rec.rD1Base64()), kgcKeyId, (pk, r) -> EmrAuthRenewal.doctorKey(pk, doctorId, certificateDer, r), proofTime, proof);
        IssuedRegistration issued = issue(doctorId, (pc, env) -> pc.registerDoctor(new DoctorRegistration(doctorId,
                certificateDer)), medicalAuthority.verifier(Clock.systemUTC()));
        return renewed(EmrAuthRenewal.DOCTOR, doctorId, kgcKeyId, provenR, issued, renewedBy);
    }

    /** Records a renewal: the registration row, the superseded key, the directory entry and one ledger entry. */
    private Renewed renewed(PartialKeyRenewal.Kind kind, String partyId, String oldKeyId, String oldR, IssuedRegistration issued,
                            String renewedBy) throws DomainException {
        try {
            String newR = Base64.getEncoder().encodeToString(issued.r());
            if (!history.renew(kind, partyId, oldKeyId, oldR, issued.kgcKeyId(), newR, renewedBy,
                    issued.registeredAt().toEpochMilli())) {
                throw new DomainException(DomainException.Kind.CONFLICT, "CONCURRENT_RENEWAL",
                        kind.role() + " " + partyId + " was renewed by a concurrent request");
            }
            emrPublicCloud.recertifyPartialKey(kind.role(), partyId, issued.r());
            long index = renewals.record(kind, partyId, oldKeyId, oldR, issued.kgcKeyId(), issued.r(), renewedBy, true);
            return new Renewed(issued, oldKeyId, index);
        } catch (DomainException | RuntimeException e) {
            issued.wipe();
            throw e;
        }
    }

    /** A party renews only itself, recorded as the authenticated caller. */
    private void requireRenewalCaller(String partyId, String renewedBy) throws DomainException {
        requireCaller(renewedBy);
        if (!context.getCallerPrincipal().getName().equals(partyId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY", "a party renews only its own registration");
        }
    }

    /** The partial keys {@code partyId} held before its renewals ({@code role}: patient or doctor), oldest first. */
    @RolesAllowed({"patient", "doctor", "kgc-operator", "auditor", "hospital-admin"})
    public java.util.List<PartialKeyHistory.Superseded> supersededKeys(String role, String partyId) throws DomainException {
        requireId(partyId, "INVALID_PARTY_ID", "partyId");
        if (!EmrAuthRoles.PATIENT.equals(role) && !EmrAuthRoles.DOCTOR.equals(role)) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_ROLE", "role must be patient or doctor");
        }
        boolean privileged = context.isCallerInRole("kgc-operator") || context.isCallerInRole("auditor")
                || (EmrAuthRoles.DOCTOR.equals(role) && context.isCallerInRole("hospital-admin"));
        if (!privileged && !context.getCallerPrincipal().getName().equals(partyId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY", "a party reads only its own registration");
        }
        return history.superseded(EmrAuthRenewal.kind(role), partyId);
    }

    /** The key id under which the KGC issues partial keys now. */
    @PermitAll
    public String currentKeyId() throws DomainException {
        return keys.currentMasterKey().keyId();
    }

    @FunctionalInterface
    private interface Issuance {
        RegistrationResponse run(PublicCloud pc, Environment env) throws ProtocolException;
    }

    private IssuedRegistration issue(String partyId, Issuance issuance) throws DomainException {
        return issue(partyId, issuance, (cert, id) -> {
            throw new ProtocolException(Reason.CERT_INVALID, "no certificate expected here");
        });
    }

    /** Runs one issuance with the master secret loaded for this call only. */
    private IssuedRegistration issue(String partyId, Issuance issuance, CertificateVerifier certificates)
            throws DomainException {
        if (!ledger.isAuthority()) {
            // a consortium node that is not the authority issues nothing under its own master key:
            // its parties hold partial keys of the authority's KGC (docs/consortium.md, "One authority")
            throw new DomainException(DomainException.Kind.CONFLICT, "REGISTER_AT_AUTHORITY",
                    "EMR-AUTH registrations are made by the consortium's authority: register there");
        }
        MasterSecret s = keys.masterSecret();
        try {
            Environment env = Environment.of(keys.curve(), Clock.systemUTC(), new SecureRandom());
            RegistrationResponse response;
            try {
                // The EMR-AUTH public cloud keeps each issued S_D sealed for the search phase (erratum 4).
                response = issuance.run(emrPublicCloud.registrationCloud(env, s, certificates), env);
            } catch (ProtocolException e) {
                throw refusal(e);
            }
            MasterPublicKey pk = s.publicKey();
            byte[] sBytes = response.encodedS();
            try {
                Instant now = env.clock().instant();
                return new IssuedRegistration(partyId, response.encodedR(), sBytes, pk.encoded(), keyId(pk),
                        pk.curve().name(), now);
            } finally {
                Arrays.fill(sBytes, (byte) 0);
                response.s().destroy();
            }
        } finally {
            s.destroy();
        }
    }

    /** Certificate refusals keep their protocol reason as the problem code. */
    static DomainException refusal(ProtocolException e) {
        DomainException.Kind kind = e.reason() == Reason.CERT_STATUS_UNKNOWN
                ? DomainException.Kind.UNAVAILABLE : DomainException.Kind.FORBIDDEN;
        return new DomainException(kind, e.reason().name(), e.detail());
    }

    /** The name a front end records must be the caller the container authenticated. */
    private void requireCaller(String claimed) throws DomainException {
        if (claimed == null || !claimed.equals(context.getCallerPrincipal().getName())) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_THE_CALLER",
                    "the recorded identity must be the authenticated caller");
        }
    }

    /** Unless the caller holds {@code role}, it may act only on its own identity. */
    private void requireSelfUnless(String role, String partyId, String detail) throws DomainException {
        if (!context.isCallerInRole(role) && !context.getCallerPrincipal().getName().equals(partyId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY", detail);
        }
    }

    private static void requireId(String id, String code, String field) throws DomainException {
        if (id == null || !PARTY_ID.matcher(id).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, code, field
                    + " must be 1-128 characters of letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
    }

    /** A short fingerprint of {@code PK}: the first 16 bytes of SHA-256 over its encoding, hex. */
    static String keyId(MasterPublicKey pk) {
        return KgcKeyStore.keyId(pk);
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
