package org.medledger.protocol.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.medledger.protocol.common.CertificateVerifier;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.InMemoryPartyDirectory;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.emrauth.Doctor;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.emrauth.ConsentPolicy;
import org.medledger.protocol.emrauth.EmrSource;
import org.medledger.protocol.emrauth.PublicCloudStore;
import org.medledger.protocol.emrauth.HospitalPrivateCloud;
import org.medledger.protocol.emrauth.InMemoryPublicCloudStore;
import org.medledger.protocol.emrauth.PatientDevice;
import org.medledger.protocol.emrauth.PublicCloud;

/**
 * An EMR-AUTH deployment for benchmarks. Certificate legality is accepted without PKIX work:
 * path validation and revocation are I/O-bound deployment costs, not protocol arithmetic.
 */
final class EmrAuthBench {

    final CurveProfile c = CurveProfile.p256();
    final InMemoryPartyDirectory dir = new InMemoryPartyDirectory();
    final KeyCertifier certifier = new KeyCertifier(SigningKey.generate(c, BenchSupport.random(2)), BenchSupport.clock(), Duration.ofDays(1));
    final MasterSecret master = MasterSecret.generate(c, BenchSupport.random(3));
    final CertificateVerifier certs = (cert, id) -> { };
    final TrustContext trust = new TrustContext(master.publicKey(), certifier.verificationKey(), dir, certs);
    final PublicCloud pc;
    final HospitalPrivateCloud hpc;
    final PatientDevice patient;
    final Doctor doctor;
    /** Length of the doctor's certificate Cert_D in these benchmarks. */
    static final int CERT_D_LENGTH = 600;
    /** Length of the diagnosis M_DINF and of the signal M_SD in these benchmarks. */
    static final int MESSAGE_LENGTH = 256;
    final byte[] emr = new byte[1024];
    final EmrSource emrs = (idP, idDE) -> Optional.of(emr);
    /** Every consent granted: the ledger lookup is the server's cost, not the protocol's. */
    static final ConsentPolicy CONSENT = (idP, idD, idDE) -> true;
    /** After set-up the index keeps its entry, so the repeated update of a benchmark always moves it forward. */
    private boolean indexFrozen;
    private long seed = 100;

    EmrAuthBench() throws ProtocolException {
        PartyKeys pcKeys = PartyKeys.generate(c, BenchSupport.random(seed++));
        pc = new PublicCloud(env(), master, trust, pcKeys, indexStore(new InMemoryPublicCloudStore()), "PC");
        dir.put(certifier.certify(EmrAuthRoles.SCHEME, EmrAuthRoles.PUBLIC_CLOUD, "PC", pcKeys.signingPublic(), pcKeys.kemPublic(), Optional.empty()));
        hpc = new HospitalPrivateCloud(env(), trust, PartyKeys.generate(c, BenchSupport.random(seed++)), "HPC");
        hpc.acceptRegistration(pc.registerHospitalCloud(hpc.registrationRequest()));
        dir.put(certifier.certify(EmrAuthRoles.SCHEME, EmrAuthRoles.HOSPITAL_PRIVATE_CLOUD, "HPC", hpc.keys().signingPublic(),
                hpc.keys().kemPublic(), Optional.of(hpc.partialKey().publicPoint())));
        patient = new PatientDevice(env(), trust, PartyKeys.generate(c, BenchSupport.random(seed++)), "P",
                SecretBytes.copyOf("bio".getBytes(StandardCharsets.UTF_8)));
        patient.acceptRegistration(pc.registerPatient(patient.registrationRequest()));
        dir.put(certifier.certify(EmrAuthRoles.SCHEME, EmrAuthRoles.PATIENT, "P", patient.keys().signingPublic(),
                patient.keys().kemPublic(), Optional.of(patient.partialKey().publicPoint())));
        doctor = new Doctor(env(), trust, PartyKeys.generate(c, BenchSupport.random(seed++)), "D", new byte[CERT_D_LENGTH]);
        doctor.acceptRegistration(pc.registerDoctor(doctor.registrationRequest()));
        dir.put(certifier.certify(EmrAuthRoles.SCHEME, EmrAuthRoles.DOCTOR, "D", doctor.keys().signingPublic(),
                doctor.keys().kemPublic(), Optional.of(doctor.partialKey().publicPoint())));
        pc.applyIndexUpdate(hpc.indexUpdate("PC", "P", "DE", "D", 0), CONSENT);
        indexFrozen = true;
    }

    private PublicCloudStore indexStore(InMemoryPublicCloudStore store) {
        return new PublicCloudStore() {
            @Override
            public void putIssuedSecret(String role, String id, byte[] sealed) {
                store.putIssuedSecret(role, id, sealed);
            }

            @Override
            public Optional<byte[]> issuedSecret(String role, String id) {
                return store.issuedSecret(role, id);
            }

            @Override
            public void putIndex(byte[] lookupHandle, byte[] sealedValue) {
                if (!indexFrozen) {
                    store.putIndex(lookupHandle, sealedValue);
                }
            }

            @Override
            public Optional<byte[]> index(byte[] lookupHandle) {
                return store.index(lookupHandle);
            }
        };
    }

    Environment env() {
        return BenchSupport.env(seed++);
    }
}
