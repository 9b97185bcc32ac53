package org.medledger.protocol.emrauth;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.medledger.protocol.common.CrlStatusSource;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.InMemoryPartyDirectory;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.PkixCertificateVerifier;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.testkit.Fixtures;
import org.medledger.protocol.testkit.TestPki;

/**
 * A complete EMR-AUTH deployment for tests: medical-authority PKI, the PC as KGC and
 * certifier, one HPC, doctors and patients, all registered and certified. Each party has
 * its own environment (own replay cache) on one shared clock.
 */
final class EmrAuthWorld {

    static final String PC_ID = "PC";
    static final String HPC_ID = "HPC-1";
    static final String DEPT = "cardiology";

    final Fixtures.MutableClock clock = Fixtures.clockAt(Fixtures.NOW);
    final CurveProfile curve = CurveProfile.p256();
    final TestPki pki = new TestPki("Medical Authority", 41);
    final List<X509Certificate> revoked = new ArrayList<>();
    final InMemoryPartyDirectory directory = new InMemoryPartyDirectory();
    final MasterSecret master;
    final KeyCertifier certifier;
    final TrustContext trust;
    final InMemoryPublicCloudStore pcStore = new InMemoryPublicCloudStore();
    final PublicCloud pc;
    final HospitalPrivateCloud hpc;
    final Map<List<String>, byte[]> emrs = new HashMap<>();
    /** The patients' consents on the ledger, as (ID_P, ID_D, ID_DE). */
    final java.util.Set<List<String>> consents = new java.util.HashSet<>();
    private long seed = 1000;

    EmrAuthWorld() throws ProtocolException {
        master = MasterSecret.generate(curve, Fixtures.seededRandom(42));
        certifier = new KeyCertifier(SigningKey.generate(curve, Fixtures.seededRandom(43)), clock, Duration.ofDays(30));
        PkixCertificateVerifier certs = new PkixCertificateVerifier(pki.caCertificate(), List.of(),
                (c, issuer) -> new CrlStatusSource(List.of(pki.crl(revoked)), clock).status(c, issuer), clock,
                PkixCertificateVerifier::subjectCommonName, c -> true);
        trust = new TrustContext(master.publicKey(), certifier.verificationKey(), directory, certs);
        PartyKeys pcKeys = PartyKeys.generate(curve, Fixtures.seededRandom(44));
        pc = new PublicCloud(env(), master, trust, pcKeys, pcStore, PC_ID);
        directory.put(certifier.certify(EmrAuthRoles.SCHEME, EmrAuthRoles.PUBLIC_CLOUD, PC_ID, pcKeys.signingPublic(),
                pcKeys.kemPublic(), Optional.empty()));
        hpc = newHpc(HPC_ID);
    }

    Environment env() {
        return Fixtures.env(seed++, clock);
    }

    HospitalPrivateCloud newHpc(String id) throws ProtocolException {
        HospitalPrivateCloud h = new HospitalPrivateCloud(env(), trust, PartyKeys.generate(curve, Fixtures.seededRandom(seed++)), id);
        h.acceptRegistration(pc.registerHospitalCloud(h.registrationRequest()));
        directory.put(certifier.certify(EmrAuthRoles.SCHEME, EmrAuthRoles.HOSPITAL_PRIVATE_CLOUD, id, h.keys().signingPublic(),
                h.keys().kemPublic(), Optional.of(h.partialKey().publicPoint())));
        return h;
    }

    PatientDevice newPatient(String id) throws ProtocolException {
        PatientDevice p = new PatientDevice(env(), trust, PartyKeys.generate(curve, Fixtures.seededRandom(seed++)), id,
                SecretBytes.copyOf(("biometric-" + id).getBytes(StandardCharsets.UTF_8)));
        p.acceptRegistration(pc.registerPatient(p.registrationRequest()));
        directory.put(certifier.certify(EmrAuthRoles.SCHEME, EmrAuthRoles.PATIENT, id, p.keys().signingPublic(),
                p.keys().kemPublic(), Optional.of(p.partialKey().publicPoint())));
        return p;
    }

    Doctor newDoctor(String id) throws ProtocolException {
        return newDoctor(id, pki.issue(id));
    }

    Doctor newDoctor(String id, X509Certificate cert) throws ProtocolException {
        Doctor d = new Doctor(env(), trust, PartyKeys.generate(curve, Fixtures.seededRandom(seed++)), id, der(cert));
        d.acceptRegistration(pc.registerDoctor(d.registrationRequest()));
        directory.put(certifier.certify(EmrAuthRoles.SCHEME, EmrAuthRoles.DOCTOR, id, d.keys().signingPublic(),
                d.keys().kemPublic(), Optional.of(d.partialKey().publicPoint())));
        return d;
    }

    /** The HPC holds an EMR for {@code idP} and has told the PC's index. */
    void storeEmr(String idP, String idD, byte[] emr) throws ProtocolException {
        emrs.put(List.of(idP, DEPT), emr);
        grant(idP, idD, DEPT);
        pc.applyIndexUpdate(hpc.indexUpdate(PC_ID, idP, DEPT, idD, clock.millis()), consent());
    }

    void grant(String idP, String idD, String idDE) {
        consents.add(List.of(idP, idD, idDE));
    }

    ConsentPolicy consent() {
        return (p, d, de) -> consents.contains(List.of(p, d, de));
    }

    EmrSource emrSource() {
        return (idP, idDE) -> Optional.ofNullable(emrs.get(List.of(idP, idDE)));
    }

    static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    DirectoryEntry entry(String role, String id) {
        return directory.find(EmrAuthRoles.SCHEME, role, id).orElseThrow();
    }
}
