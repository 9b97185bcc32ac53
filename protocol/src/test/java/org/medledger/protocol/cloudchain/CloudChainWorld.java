package org.medledger.protocol.cloudchain;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.util.encoders.Hex;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.InMemoryPartyDirectory;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.testkit.Fixtures;

/** A CLOUD-CHAIN deployment for tests: NA, one MC with its CS, registered patients. */
final class CloudChainWorld {

    static final int TEST_ITERATIONS = 10;

    final Fixtures.MutableClock clock = Fixtures.clockAt(Fixtures.NOW);
    final CurveProfile curve = CurveProfile.p256();
    final InMemoryPartyDirectory directory = new InMemoryPartyDirectory();
    final KeyCertifier certifier = new KeyCertifier(SigningKey.generate(curve, Fixtures.seededRandom(51)), clock, Duration.ofDays(30));
    final NetworkAdministrator na = new NetworkAdministrator(env(), MasterSecret.generate(curve, Fixtures.seededRandom(52)), certifier);
    final TrustContext trust = new TrustContext(na.publicKey(), certifier.verificationKey(), directory,
            (cert, id) -> { });
    final List<PatientVerifier> verifiers = new ArrayList<>();
    final Map<String, SecretBytes> kms = new HashMap<>();
    final Set<String> contracts = new HashSet<>();
    final Map<String, Ehr> ehrs = new HashMap<>();
    /** The ledger's access log; {@link #ledgerDown} makes every append fail. */
    final List<LogTransaction> accessLog = new ArrayList<>();
    boolean ledgerDown;
    final MedicalCenter mc;
    final CloudServer cs;
    private long seed = 2000;

    CloudChainWorld() throws ProtocolException {
        mc = newMedicalCenter("MC-1");
        cs = new CloudServer(env(), trust, pid -> Optional.ofNullable(kms.get(pid)), new EhrRepository() {
            @Override
            public void store(Ehr ehr) {
                ehrs.put(Hex.toHexString(ehr.hidI()), ehr);
            }

            @Override
            public Optional<Ehr> latest(byte[] hidI) {
                return Optional.ofNullable(ehrs.get(Hex.toHexString(hidI)));
            }
        }, (hid, pid) -> contracts.contains(Hex.toHexString(hid) + "|" + pid), tx -> {
            if (ledgerDown) {
                throw new ProtocolException(Reason.INTERNAL, "ledger unavailable");
            }
            accessLog.add(tx);
        });
    }

    void contract(byte[] hid, MedicalCenter center) {
        contracts.add(Hex.toHexString(hid) + "|" + center.pid());
    }

    Environment env() {
        return Fixtures.env(seed++, clock);
    }

    MedicalCenter newMedicalCenter(String id) throws ProtocolException {
        byte[] k = new byte[32];
        Fixtures.seededRandom(seed++).nextBytes(k);
        MedicalCenter m = MedicalCenter.create(env(), trust, PartyKeys.generate(curve, Fixtures.seededRandom(seed++)), id, SecretBytes.copyOf(k));
        kms.put(m.pid(), SecretBytes.copyOf(k));
        MedicalCenterCertificate cert = na.registerMedicalCenter(m.enrolment(), verifiers);
        m.install(cert);
        directory.put(cert.certJ());
        return m;
    }

    /** Registers a patient and provisions its verifier to {@code mc}. */
    Smartcard register(Patient p, String password) {
        Patient.Registration reg = p.beginRegistration();
        PatientRegistrationResult result = na.registerPatient(reg.enrolment());
        verifiers.add(result.verifier());
        mc.addVerifier(result.verifier());
        return reg.complete(result.issuance(), pw(password), TEST_ITERATIONS, 3);
    }

    Patient newPatient(String id) {
        return new Patient(env(), trust, id);
    }

    static SecretBytes pw(String s) {
        return SecretBytes.copyOf(s.getBytes(StandardCharsets.UTF_8));
    }
}
