package org.medledger.client.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.client.pki.PkiFixtures.NOW;
import static org.medledger.client.pki.PkiFixtures.PASSWORD;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.medledger.protocol.common.CertificateStatusSource;
import org.medledger.protocol.common.CertificateVerifier;
import org.medledger.protocol.common.CrlStatusSource;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.InMemoryPartyDirectory;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.PkixCertificateVerifier;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.emrauth.AcceptedEmrVersion;
import org.medledger.protocol.emrauth.ConsentPolicy;
import org.medledger.protocol.emrauth.Doctor;
import org.medledger.protocol.emrauth.DoctorConsultation;
import org.medledger.protocol.emrauth.DoctorEmrSearch;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.emrauth.EmrRelease;
import org.medledger.protocol.emrauth.EmrRequest;
import org.medledger.protocol.emrauth.EmrSearchOutcome;
import org.medledger.protocol.emrauth.EmrSource;
import org.medledger.protocol.emrauth.EmrVersionSubmission;
import org.medledger.protocol.emrauth.HospitalAccessRequest;
import org.medledger.protocol.emrauth.HospitalAccessSession;
import org.medledger.protocol.emrauth.HospitalPrivateCloud;
import org.medledger.protocol.emrauth.InMemoryPublicCloudStore;
import org.medledger.protocol.emrauth.PatientConsultation;
import org.medledger.protocol.emrauth.PatientDevice;
import org.medledger.protocol.emrauth.PublicCloud;
import org.medledger.protocol.emrauth.SignalDelivery;
import org.medledger.protocol.pki.CompositeStatusSource;
import org.medledger.protocol.pki.DoctorRole;
import org.medledger.protocol.pki.OcspStatusSource;
import org.medledger.transport.HttpOcspTransport;

/**
 * EMR-AUTH (PROTOCOLS.md §1) with {@code Cert_D} decided by the real medical authority: its
 * CA as the PKIX anchor, its CRL file (re-read for every decision, as the server does) and
 * its OCSP responder, both required. Every party that checks {@code Cert_D} — the public
 * cloud at registration and at the EMR search, the patient at the consultation and the
 * diagnosis, the hospital cloud at the access request, again at the release, and when the
 * doctor stores a new EMR version — is shown to refuse with the exact reason.
 */
class EmrAuthWithMedicalAuthorityTest {

    private static final String PC_ID = "PC";
    private static final String HPC_ID = "HPC-1";
    private static final String DEPT = "cardiology";
    private static final String PATIENT = "P-1";
    private static final String ALICE = "dr.alice";
    private static final String BOB = "dr.bob";
    private static final byte[] SIGNAL = "ECG 72 bpm".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DIAGNOSIS = "sinus rhythm".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EMR = "EMR v1: allergy penicillin".getBytes(StandardCharsets.UTF_8);
    private static final ConsentPolicy CONSENT = (p, d, de) -> p.equals(PATIENT) && de.equals(DEPT) && (d.equals(ALICE) || d.equals(BOB) || d.equals("dr.earlier"));
    private static final EmrSource EMRS = (p, de) -> p.equals(PATIENT) && de.equals(DEPT) ? Optional.of(EMR.clone()) : Optional.empty();
    /** Lifetime left on the certificate of a doctor registered in the "after registration" tests. */
    private static final Duration SHORT_LIFETIME = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(NOW);
    private final SecureRandom random = new SecureRandom();
    private final CurveProfile curve = CurveProfile.p256();
    private final InMemoryPartyDirectory directory = new InMemoryPartyDirectory();
    private final InMemoryPublicCloudStore pcStore = new InMemoryPublicCloudStore();
    /** Each successful {@code Cert_D} decision, as "party ID_D". */
    private final List<String> decisions = Collections.synchronizedList(new ArrayList<>());

    private MedicalAuthority ca;
    private OcspResponder responder;
    private URI responderUri;
    private boolean responderRunning;
    private Path crlFile;
    private MasterSecret master;
    private KeyCertifier certifier;
    private PartyKeys pcKeys;
    private PublicCloud pc;
    private HospitalPrivateCloud hpc;
    private PatientDevice patient;

    @BeforeEach
    void deploy() throws IOException, ProtocolException {
        // The relying parties are configured with the responder URL, as the server is
        // (MedicalAuthorityTrust), so the certificates' AIA entry is never consulted.
        ca = MedicalAuthority.create(dir.resolve("ca"),
                AuthoritySettings.defaults().withOcspUrl(URI.create("http://127.0.0.1/unused-aia")), PASSWORD, clock, random);
        responder = OcspResponder.start(ca, new InetSocketAddress("127.0.0.1", 0), clock);
        responderUri = responder.uri();
        responderRunning = true;
        crlFile = dir.resolve("medical-authority.crl");
        ca.publishCrl(Duration.ofHours(24), crlFile);

        master = MasterSecret.generate(curve, random);
        certifier = new KeyCertifier(SigningKey.generate(curve, random), clock, Duration.ofDays(30));
        pcKeys = PartyKeys.generate(curve, random);
        pc = new PublicCloud(env(), master, trustAt("PC"), pcKeys, pcStore, PC_ID);
        directory.put(certifier.certify(EmrAuthRoles.SCHEME, EmrAuthRoles.PUBLIC_CLOUD, PC_ID, pcKeys.signingPublic(),
                pcKeys.kemPublic(), Optional.empty()));

        hpc = new HospitalPrivateCloud(env(), trustAt("HPC"), PartyKeys.generate(curve, random), HPC_ID);
        hpc.acceptRegistration(pc.registerHospitalCloud(hpc.registrationRequest()));
        certify(EmrAuthRoles.HOSPITAL_PRIVATE_CLOUD, HPC_ID, hpc.keys(), hpc.partialKey().publicPoint());

        patient = new PatientDevice(env(), trustAt("P"), PartyKeys.generate(curve, random), PATIENT,
                SecretBytes.copyOf("device-bound secret of P-1".getBytes(StandardCharsets.UTF_8)));
        patient.acceptRegistration(pc.registerPatient(patient.registrationRequest()));
        certify(EmrAuthRoles.PATIENT, PATIENT, patient.keys(), patient.partialKey().publicPoint());

        // The HPC holds the patient's EMR and has told the PC's index (erratum 8).
        pc.applyIndexUpdate(hpc.indexUpdate(PC_ID, PATIENT, DEPT, "dr.earlier", 0), CONSENT);
    }

    @AfterEach
    void stopResponder() {
        if (responderRunning) {
            responder.close();
            responderRunning = false;
        }
    }

    // ------------------------------------------------------------------ honest run

    @Test
    void doctorWithAuthorityCertificateRegistersConsultsAndSearchesAndEveryPartyAsksTheAuthority() throws Exception {
        Doctor alice = register(ALICE, validCertificate(ALICE));
        assertTrue(pcStore.issuedSecret(EmrAuthRoles.DOCTOR, ALICE).isPresent(), "S_D kept for the search");

        // Consultation: SEK1 agreed, signal and diagnosis delivered (eq. 11–24, 49–50).
        PatientConsultation pSide = patient.startConsultation(ALICE);
        DoctorConsultation dSide = alice.acceptConsultation(pSide.request());
        SignalDelivery signal = pSide.acceptResponse(dSide.response(), SIGNAL);
        assertEquals(pSide.sessionKey(), dSide.sessionKey());
        assertArrayEquals(SIGNAL, dSide.readSignal(signal));
        assertArrayEquals(DIAGNOSIS, pSide.readDiagnosis(dSide.diagnose(DIAGNOSIS)));

        // EMR search through PC and HPC: SEK2 agreed, EMR delivered (eq. 25–48).
        DoctorEmrSearch search = alice.startEmrSearch(PC_ID, PATIENT, DEPT);
        EmrSearchOutcome outcome = pc.handleEmrSearch(search.request());
        assertEquals(HPC_ID, outcome.lookup().idHpc());
        HospitalAccessSession session = hpc.acceptAccessRequest(search.acceptSearchResponse(outcome.response()));
        EmrRequest request = search.acceptAccessResponse(session.response());
        assertEquals(session.sessionKey(), search.sessionKey());
        EmrRelease release = session.release(request, CONSENT, EMRS);
        assertArrayEquals(EMR, search.readEmr(release.delivery()));

        // The diagnosis stored as a new EMR version at the HPC, which re-indexes it at the PC.
        AcceptedEmrVersion version = hpc.acceptEmrVersion(alice.submitEmrVersion(HPC_ID, PATIENT, DEPT, DIAGNOSIS), PC_ID, CONSENT);
        assertArrayEquals(DIAGNOSIS, version.content());
        pc.applyIndexUpdate(version.indexUpdate(), CONSENT);

        assertEquals(List.of("PC " + ALICE, "P " + ALICE, "P " + ALICE, "PC " + ALICE, "HPC " + ALICE, "HPC " + ALICE,
                        "HPC " + ALICE), decisions,
                "registration, consultation, diagnosis, search, access request, release and EMR version each asked the authority");
    }

    // ------------------------------------------------------------------ registration (eq. 8–10) at the PC

    @Test
    void registrationRefusesACertificateRevokedInTheCrlEvenWithTheResponderDown() throws Exception {
        X509Certificate cert = validCertificate(ALICE);
        revoke(cert);
        ca.publishCrl(Duration.ofHours(24), crlFile);
        responderDown();
        assertEquals(Reason.CERT_REVOKED, registrationRefusal(ALICE, cert));
    }

    @Test
    void registrationRefusesARevocationKnownOnlyToTheOcspResponder() throws Exception {
        X509Certificate cert = validCertificate(ALICE);
        revoke(cert);
        assertEquals(CertificateStatusSource.Status.GOOD, currentCrl().status(cert, ca.certificate()),
                "the published CRL does not list it yet");
        assertEquals(Reason.CERT_REVOKED, registrationRefusal(ALICE, cert));
    }

    @Test
    void registrationFailsClosedWhenTheOcspResponderIsDown() throws Exception {
        X509Certificate cert = validCertificate(ALICE);
        responderDown();
        assertEquals(Reason.CERT_STATUS_UNKNOWN, registrationRefusal(ALICE, cert));
    }

    @Test
    void registrationFailsClosedWhenTheCrlIsPastItsNextUpdate() throws Exception {
        X509Certificate cert = validCertificate(ALICE);
        clock.advance(Duration.ofHours(25));
        assertEquals(Reason.CERT_STATUS_UNKNOWN, registrationRefusal(ALICE, cert));
        ca.publishCrl(Duration.ofHours(24), crlFile);
        register(ALICE, cert); // a fresh CRL, read at decision time, is enough
    }

    @Test
    void registrationFailsClosedWhenTheCrlFileIsMissing() throws Exception {
        X509Certificate cert = validCertificate(ALICE);
        Files.delete(crlFile);
        assertEquals(Reason.CERT_STATUS_UNKNOWN, registrationRefusal(ALICE, cert));
    }

    @Test
    void registrationRefusesAnExpiredCertificate() throws Exception {
        X509Certificate cert = doctorCertificate(DoctorCertificateRequest.of(ALICE, newKey(),
                NOW.minus(Duration.ofDays(30)), NOW.minusSeconds(1)));
        assertEquals(Reason.CERT_INVALID, registrationRefusal(ALICE, cert));
    }

    @Test
    void registrationRefusesACertificateNotYetValid() throws Exception {
        X509Certificate cert = doctorCertificate(DoctorCertificateRequest.of(ALICE, newKey(),
                NOW.plusSeconds(60), NOW.plus(Duration.ofDays(365))));
        assertEquals(Reason.CERT_INVALID, registrationRefusal(ALICE, cert));
    }

    @Test
    void registrationRefusesACertificateWithoutClientAuth() throws Exception {
        X509Certificate cert = doctorCertificate(DoctorCertificateRequest.of(ALICE, newKey(), NOW,
                NOW.plus(Duration.ofDays(365))).withoutClientAuth());
        assertEquals(Reason.CERT_INVALID, registrationRefusal(ALICE, cert));
    }

    @Test
    void registrationRefusesACertificateWithoutTheDoctorRole() throws Exception {
        X509Certificate cert = signedByTheAuthorityWithoutDoctorRole(ALICE);
        new PkixCertificateVerifier(ca.certificate(), List.of(), (c, i) -> CertificateStatusSource.Status.GOOD, clock,
                PkixCertificateVerifier::subjectCommonName, c -> true).requireLegal(cert.getEncoded(), ALICE);
        assertEquals(Reason.CERT_INVALID, registrationRefusal(ALICE, cert), "only the missing OU=doctor is wrong");
    }

    @Test
    void registrationRefusesACertificateFromAnotherAuthorityWithTheSameName() throws Exception {
        MedicalAuthority impostor = MedicalAuthority.create(dir.resolve("other-ca"),
                AuthoritySettings.defaults().withOcspUrl(URI.create("http://127.0.0.1/unused-aia")), PASSWORD, clock, random);
        assertEquals(ca.certificate().getSubjectX500Principal(), impostor.certificate().getSubjectX500Principal());
        X509Certificate cert = impostor.issueDoctor(ALICE, newKey(), Duration.ofDays(365));
        assertEquals(Reason.CERT_INVALID, registrationRefusal(ALICE, cert));
    }

    @Test
    void registrationRefusesOneDoctorsCertificateUnderAnotherDoctorsId() throws Exception {
        X509Certificate alicesCertificate = validCertificate(ALICE);
        assertEquals(Reason.CERT_IDENTITY_MISMATCH, registrationRefusal(BOB, alicesCertificate));
    }

    // ------------------------------------------------------------------ registered while legal, then not

    /** What happens to a registered doctor's certificate, and the reason every later party must give. */
    enum Change {
        REVOKED_AND_LISTED_IN_THE_CRL_WHILE_THE_RESPONDER_IS_DOWN(Reason.CERT_REVOKED) {
            @Override
            void apply(EmrAuthWithMedicalAuthorityTest t, X509Certificate cert) throws IOException {
                t.revoke(cert);
                t.ca.publishCrl(Duration.ofHours(24), t.crlFile);
                t.responderDown();
            }
        },
        REVOKED_BEFORE_THE_NEXT_CRL_SO_ONLY_OCSP_KNOWS(Reason.CERT_REVOKED) {
            @Override
            void apply(EmrAuthWithMedicalAuthorityTest t, X509Certificate cert) throws IOException {
                t.revoke(cert);
                assertEquals(CertificateStatusSource.Status.GOOD, t.currentCrl().status(cert, t.ca.certificate()));
            }
        },
        OCSP_RESPONDER_DOWN(Reason.CERT_STATUS_UNKNOWN) {
            @Override
            void apply(EmrAuthWithMedicalAuthorityTest t, X509Certificate cert) {
                t.responderDown();
            }
        },
        CRL_PAST_ITS_NEXT_UPDATE(Reason.CERT_STATUS_UNKNOWN) {
            @Override
            void apply(EmrAuthWithMedicalAuthorityTest t, X509Certificate cert) throws IOException {
                // A short-lived CRL that was not republished; messages in flight stay inside ΔT.
                t.ca.publishCrl(Duration.ofSeconds(10), t.crlFile);
                t.clock.advance(Duration.ofSeconds(15));
            }
        },
        CERTIFICATE_EXPIRED(Reason.CERT_INVALID) {
            @Override
            void apply(EmrAuthWithMedicalAuthorityTest t, X509Certificate cert) {
                t.clock.advance(SHORT_LIFETIME.plusSeconds(5));
            }
        };

        final Reason expected;

        Change(Reason expected) {
            this.expected = expected;
        }

        abstract void apply(EmrAuthWithMedicalAuthorityTest t, X509Certificate cert) throws IOException;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Change.class)
    void patientRefusesTheNextConsultation(Change change) throws Exception {
        X509Certificate cert = shortLivedCertificate(ALICE);
        Doctor alice = register(ALICE, cert);
        consult(alice);

        change.apply(this, cert);
        PatientConsultation pSide = patient.startConsultation(ALICE);
        DoctorConsultation dSide = alice.acceptConsultation(pSide.request());
        assertEquals(change.expected, reason(() -> pSide.acceptResponse(dSide.response(), SIGNAL)));
        assertFalse(pSide.isEstablished(), "no SEK1, no signal sent");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Change.class)
    void patientRefusesTheDiagnosisOfAnEstablishedConsultation(Change change) throws Exception {
        X509Certificate cert = shortLivedCertificate(ALICE);
        Doctor alice = register(ALICE, cert);
        DoctorConsultation dSide = consult(alice);
        PatientConsultation pSide = lastPatientSide;

        change.apply(this, cert);
        assertEquals(change.expected, reason(() -> pSide.readDiagnosis(dSide.diagnose(DIAGNOSIS))));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Change.class)
    void publicCloudRefusesTheNextEmrSearch(Change change) throws Exception {
        X509Certificate cert = shortLivedCertificate(ALICE);
        Doctor alice = register(ALICE, cert);

        change.apply(this, cert);
        DoctorEmrSearch search = alice.startEmrSearch(PC_ID, PATIENT, DEPT);
        assertEquals(change.expected, reason(() -> pc.handleEmrSearch(search.request())));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Change.class)
    void hospitalRefusesTheAccessRequestAfterThePublicCloudAnswered(Change change) throws Exception {
        X509Certificate cert = shortLivedCertificate(ALICE);
        Doctor alice = register(ALICE, cert);
        DoctorEmrSearch search = alice.startEmrSearch(PC_ID, PATIENT, DEPT);
        HospitalAccessRequest access = search.acceptSearchResponse(pc.handleEmrSearch(search.request()).response());

        change.apply(this, cert);
        assertEquals(change.expected, reason(() -> hpc.acceptAccessRequest(access)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Change.class)
    void hospitalRefusesTheReleaseAfterSek2WasAgreed(Change change) throws Exception {
        X509Certificate cert = shortLivedCertificate(ALICE);
        Doctor alice = register(ALICE, cert);
        DoctorEmrSearch search = alice.startEmrSearch(PC_ID, PATIENT, DEPT);
        HospitalAccessSession session = hpc.acceptAccessRequest(
                search.acceptSearchResponse(pc.handleEmrSearch(search.request()).response()));
        EmrRequest request = search.acceptAccessResponse(session.response());

        change.apply(this, cert);
        assertEquals(change.expected, reason(() -> session.release(request, CONSENT, EMRS)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Change.class)
    void hospitalRefusesANewEmrVersionFromTheDoctor(Change change) throws Exception {
        X509Certificate cert = shortLivedCertificate(ALICE);
        Doctor alice = register(ALICE, cert);
        hpc.acceptEmrVersion(alice.submitEmrVersion(HPC_ID, PATIENT, DEPT, DIAGNOSIS), PC_ID, CONSENT);

        change.apply(this, cert);
        EmrVersionSubmission next = alice.submitEmrVersion(HPC_ID, PATIENT, DEPT, DIAGNOSIS);
        assertEquals(change.expected, reason(() -> hpc.acceptEmrVersion(next, PC_ID, CONSENT)));
    }

    // ------------------------------------------------------------------ defence in depth

    @Test
    void doctorRegisteredByAKgcThatSkippedTheCheckIsRefusedByEveryOtherParty() throws Exception {
        // A KGC that let dr.bob register with dr.alice's certificate (same master key, same store).
        TrustContext noCertificateCheck = new TrustContext(master.publicKey(), certifier.verificationKey(), directory,
                (der, id) -> { });
        PublicCloud laxKgc = new PublicCloud(env(), master, noCertificateCheck, pcKeys, pcStore, PC_ID);
        Doctor bob = new Doctor(env(), trustAt("D"), PartyKeys.generate(curve, random), BOB, der(validCertificate(ALICE)));
        bob.acceptRegistration(laxKgc.registerDoctor(bob.registrationRequest()));
        certify(EmrAuthRoles.DOCTOR, BOB, bob.keys(), bob.partialKey().publicPoint());

        PatientConsultation pSide = patient.startConsultation(BOB);
        DoctorConsultation dSide = bob.acceptConsultation(pSide.request());
        assertEquals(Reason.CERT_IDENTITY_MISMATCH, reason(() -> pSide.acceptResponse(dSide.response(), SIGNAL)));

        DoctorEmrSearch atPc = bob.startEmrSearch(PC_ID, PATIENT, DEPT);
        assertEquals(Reason.CERT_IDENTITY_MISMATCH, reason(() -> pc.handleEmrSearch(atPc.request())));

        DoctorEmrSearch viaLaxKgc = bob.startEmrSearch(PC_ID, PATIENT, DEPT);
        HospitalAccessRequest access = viaLaxKgc.acceptSearchResponse(laxKgc.handleEmrSearch(viaLaxKgc.request()).response());
        assertEquals(Reason.CERT_IDENTITY_MISMATCH, reason(() -> hpc.acceptAccessRequest(access)));

        EmrVersionSubmission version = bob.submitEmrVersion(HPC_ID, PATIENT, DEPT, DIAGNOSIS);
        assertEquals(Reason.CERT_IDENTITY_MISMATCH, reason(() -> hpc.acceptEmrVersion(version, PC_ID, CONSENT)));
        assertTrue(decisions.isEmpty(), "no party accepted the certificate");
    }

    // ------------------------------------------------------------------ deployment

    private PatientConsultation lastPatientSide;

    /** An honest consultation; returns the doctor's side (the patient's is kept in {@link #lastPatientSide}). */
    private DoctorConsultation consult(Doctor doctor) throws ProtocolException {
        PatientConsultation pSide = patient.startConsultation(doctor.id());
        DoctorConsultation dSide = doctor.acceptConsultation(pSide.request());
        assertArrayEquals(SIGNAL, dSide.readSignal(pSide.acceptResponse(dSide.response(), SIGNAL)));
        lastPatientSide = pSide;
        return dSide;
    }

    private Environment env() {
        return Environment.of(curve, clock, random);
    }

    /** What {@code party} trusts: the KGC, and the authority's decision on certificates. */
    private TrustContext trustAt(String party) {
        CertificateVerifier authority = authorityVerifier();
        CertificateVerifier recorded = (der, id) -> {
            authority.requireLegal(der, id);
            decisions.add(party + " " + id);
        };
        return new TrustContext(master.publicKey(), certifier.verificationKey(), directory, recorded);
    }

    /**
     * The server's decision (MedicalAuthorityTrust): PKIX to the authority's CA, doctor role,
     * CN = ID_D, and revocation by the CRL file read at decision time and by OCSP, both required.
     */
    private CertificateVerifier authorityVerifier() {
        CertificateStatusSource crl = (cert, issuer) -> currentCrl().status(cert, issuer);
        CertificateStatusSource ocsp = OcspStatusSource.builder(clock, random, HttpOcspTransport.withTimeout(Duration.ofSeconds(2)))
                .responder(responderUri).build();
        return new PkixCertificateVerifier(ca.certificate(), List.of(), CompositeStatusSource.requireAll(crl, ocsp), clock,
                PkixCertificateVerifier::subjectCommonName, DoctorRole::isPresentIn);
    }

    private CrlStatusSource currentCrl() {
        try (InputStream in = Files.newInputStream(crlFile)) {
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
            return new CrlStatusSource(List.of(crl), clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void certify(String role, String id, PartyKeys keys, ECPoint partialKeyPoint) {
        directory.put(certifier.certify(EmrAuthRoles.SCHEME, role, id, keys.signingPublic(), keys.kemPublic(),
                Optional.of(partialKeyPoint)));
    }

    /** Doctor registration (eq. 8–10) and certification of the doctor's own keys. */
    private Doctor register(String id, X509Certificate cert) throws ProtocolException {
        Doctor d = new Doctor(env(), trustAt("D"), PartyKeys.generate(curve, random), id, der(cert));
        d.acceptRegistration(pc.registerDoctor(d.registrationRequest()));
        certify(EmrAuthRoles.DOCTOR, id, d.keys(), d.partialKey().publicPoint());
        return d;
    }

    /** The PC's refusal; it must leave no issued {@code S_D} behind. */
    private Reason registrationRefusal(String id, X509Certificate cert) {
        Doctor d = new Doctor(env(), trustAt("D"), PartyKeys.generate(curve, random), id, der(cert));
        Reason r = reason(() -> pc.registerDoctor(d.registrationRequest()));
        assertTrue(pcStore.issuedSecret(EmrAuthRoles.DOCTOR, id).isEmpty(), "no S_D issued");
        assertFalse(decisions.contains("PC " + id));
        return r;
    }

    private X509Certificate validCertificate(String id) throws IOException {
        return doctorCertificate(DoctorCertificateRequest.of(id, newKey(), NOW, NOW.plus(Duration.ofDays(365))));
    }

    private X509Certificate shortLivedCertificate(String id) throws IOException {
        return doctorCertificate(DoctorCertificateRequest.of(id, newKey(), NOW, NOW.plus(SHORT_LIFETIME)));
    }

    private X509Certificate doctorCertificate(DoctorCertificateRequest request) throws IOException {
        return ca.issueDoctor(request);
    }

    /** CN=ID_D, digitalSignature, clientAuth, signed by the authority's CA key — but no OU=doctor. */
    private X509Certificate signedByTheAuthorityWithoutDoctorRole(String id) throws Exception {
        PrivateKey caKey = (PrivateKey) AuthorityFiles.readKeyStore(ca.directory().resolve(MedicalAuthority.KEY_STORE), PASSWORD)
                .getKey(MedicalAuthority.ALIAS, PASSWORD);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, AuthoritySettings.DEFAULT_ORGANIZATION)
                .addRDN(BCStyle.CN, id).build();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), new BigInteger(120, random).setBit(120),
                Date.from(NOW), Date.from(NOW.plus(Duration.ofDays(365))), subject, newKey());
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
    }

    private PublicKey newKey() {
        return MedicalAuthority.generateKeyPair(random).getPublic();
    }

    private void revoke(X509Certificate cert) throws IOException {
        ca.revoke(cert.getSerialNumber(), RevocationReason.KEY_COMPROMISE, clock.instant());
    }

    private void responderDown() {
        if (responderRunning) {
            responder.close();
            responderRunning = false;
        }
    }

    private static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Reason reason(Executable e) {
        return assertThrows(ProtocolException.class, e).reason();
    }

    /** A clock the test moves; the OCSP responder reads it from its own threads. */
    private static final class MutableClock extends Clock {

        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
