package org.medledger.protocol.interhospital;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.InMemoryPartyDirectory;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.testkit.Fixtures;

/** An INTER-HOSPITAL deployment for tests, with a tiny ledger that executes the contract payloads. */
final class InterHospitalWorld {

    final Fixtures.MutableClock clock = Fixtures.clockAt(Fixtures.NOW);
    final CurveProfile curve = CurveProfile.p256();
    final InMemoryPartyDirectory directory = new InMemoryPartyDirectory();
    final KeyCertifier certifier = new KeyCertifier(SigningKey.generate(curve, Fixtures.seededRandom(71)), clock, Duration.ofDays(30));
    final BlockchainCenter center = new BlockchainCenter(env(), MasterSecret.generate(curve, Fixtures.seededRandom(72)), certifier);
    final TrustContext trust = new TrustContext(center.publicKey(), certifier.verificationKey(), directory, (c, id) -> { });
    final TestLedger ledger = new TestLedger();
    final Map<String, byte[]> hospitalRecords = new HashMap<>();
    private long seed = 3000;

    Environment env() {
        return Fixtures.env(seed++, clock);
    }

    Patient newPatient(String id) throws ProtocolException {
        Patient p = new Patient(env(), trust, PartyKeys.generate(curve, Fixtures.seededRandom(seed++)), id, ledger);
        RegistrationOutcome o = center.register(p.registrationRequest("patient " + id));
        directory.put(o.grant().entry());
        ledger.apply(o.insert());
        p.acceptRegistration(o.grant());
        return p;
    }

    Hospital newHospital(String id) throws ProtocolException {
        Hospital h = new Hospital(env(), trust, PartyKeys.generate(curve, Fixtures.seededRandom(seed++)), id, ledger);
        RegistrationOutcome o = center.register(h.registrationRequest("hospital " + id));
        directory.put(o.grant().entry());
        ledger.apply(o.insert());
        h.acceptRegistration(o.grant());
        return h;
    }

    RecordSource source(String hospitalId) {
        return (patientId, diagnosisId) -> Optional.ofNullable(hospitalRecords.get(hospitalId + "|" + patientId + "|" + diagnosisId));
    }

    /** A ledger that executes the payloads the protocol emits. */
    static final class TestLedger implements LedgerChecks {
        final Set<String> patients = new HashSet<>();
        final Set<String> hospitals = new HashSet<>();
        final Map<String, String> recordHolder = new HashMap<>();
        final Map<String, Long> treatment = new HashMap<>();
        final Map<String, Set<String>> mapping = new HashMap<>();
        final List<ContractPayload> log = new ArrayList<>();

        void apply(ContractPayload p) {
            log.add(p);
            if (p instanceof PatientInsert pi) {
                patients.add(pi.patientId());
                mapping.computeIfAbsent(pi.patientId(), k -> new HashSet<>()).addAll(pi.recordMapping());
            } else if (p instanceof HospitalInsert hi) {
                hospitals.add(hi.hospitalId());
            } else if (p instanceof TreatmentConsent tc) {
                treatment.put(tc.patientId() + "|" + tc.hospitalId(), tc.expiry());
            } else if (p instanceof MedicalRecordInsert mi) {
                // As the ledger's mrins: a registered patient, under its treatment consent for the hospital.
                if (!patients.contains(mi.patientId()) || treatment.getOrDefault(mi.patientId() + "|" + mi.hospitalId(), Long.MIN_VALUE) < mi.createdAt()) {
                    log.remove(log.size() - 1);
                    throw new IllegalStateException("NOT_AUTHORIZED: no treatment consent of " + mi.patientId() + " for " + mi.hospitalId());
                }
                recordHolder.put(mi.diagnosisId(), mi.hospitalId());
            }
        }

        @Override
        public boolean holds(ContractQuery q) {
            if (q instanceof PatientCheck pc) {
                return patients.contains(pc.patientId());
            }
            if (q instanceof HospitalCheck hc) {
                return hospitals.contains(hc.hospitalId());
            }
            MedicalRecordCheck mc = (MedicalRecordCheck) q;
            return mc.hospitalId().equals(recordHolder.get(mc.diagnosisId()))
                    && mapping.getOrDefault(mc.patientId(), Set.of()).contains(mc.diagnosisId());
        }
    }
}
