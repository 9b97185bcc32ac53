package org.medledger.protocol.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.medledger.protocol.cloudchain.AuthRequest;
import org.medledger.protocol.cloudchain.AuthResponse;
import org.medledger.protocol.cloudchain.CloudServer;
import org.medledger.protocol.cloudchain.ContractUpload;
import org.medledger.protocol.cloudchain.Ehr;
import org.medledger.protocol.cloudchain.EhrQuery;
import org.medledger.protocol.cloudchain.EhrRepository;
import org.medledger.protocol.cloudchain.MedicalCenter;
import org.medledger.protocol.cloudchain.MedicalCenterCertificate;
import org.medledger.protocol.cloudchain.MedicalCenterSession;
import org.medledger.protocol.cloudchain.NetworkAdministrator;
import org.medledger.protocol.cloudchain.Patient;
import org.medledger.protocol.cloudchain.PatientAuthentication;
import org.medledger.protocol.cloudchain.PatientCenterContract;
import org.medledger.protocol.cloudchain.PatientRegistrationResult;
import org.medledger.protocol.cloudchain.Smartcard;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.InMemoryPartyDirectory;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.TrustContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CLOUD-CHAIN per party: authentication (seed 001, §5.2; paper: patient 0.51 ms, MC 0.74 ms), and
 * the server side of the contract (§5.3), EHR storing (§5.4) and requesting (§5.5–5.6).
 * The protocol benchmarks use a card with 1 PBKDF2 iteration so that they measure the
 * protocol; {@link #cardUnlock_defaultPasswordCost} shows the deliberate password cost.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CloudChainBenchmark {

    @State(Scope.Thread)
    public static class World {
        final CurveProfile c = CurveProfile.p256();
        Patient patient;
        Smartcard card;
        Smartcard slowCard;
        MedicalCenter mc;
        AuthRequest request;
        CloudServer cs;
        byte[] hid;
        final byte[] record = fhirRecord(64 * 1024);
        final SecretBytes pw = SecretBytes.copyOf("pw".getBytes(StandardCharsets.UTF_8));

        @Setup(Level.Trial)
        public void setup() throws ProtocolException {
            InMemoryPartyDirectory dir = new InMemoryPartyDirectory();
            KeyCertifier certifier = new KeyCertifier(SigningKey.generate(c, BenchSupport.random(2)), BenchSupport.clock(), Duration.ofDays(1));
            NetworkAdministrator na = new NetworkAdministrator(BenchSupport.env(3), MasterSecret.generate(c, BenchSupport.random(4)), certifier);
            TrustContext trust = new TrustContext(na.publicKey(), certifier.verificationKey(), dir, (x, y) -> { });
            mc = MedicalCenter.create(BenchSupport.env(5), trust, PartyKeys.generate(c, BenchSupport.random(6)), "MC",
                    SecretBytes.copyOf(new byte[32]));
            patient = new Patient(BenchSupport.env(7), trust, "alice");
            Patient.Registration reg = patient.beginRegistration();
            PatientRegistrationResult r = na.registerPatient(reg.enrolment());
            card = reg.complete(r.issuance(), pw, 1, 3);
            Patient.Registration reg2 = patient.beginRegistration();
            PatientRegistrationResult r2 = na.registerPatient(reg2.enrolment());
            slowCard = reg2.complete(r2.issuance(), pw);
            MedicalCenterCertificate cert = na.registerMedicalCenter(mc.enrolment(), List.of(r.verifier(), r2.verifier()));
            mc.install(cert);
            dir.put(cert.certJ());
            request = patient.authenticate(card, pw, mc.pid()).request();
            hid = r.verifier().hidI();
            SecretBytes kms = SecretBytes.copyOf(new byte[32]);
            Ehr stored = new Ehr(hid, mc.pid(), record, BenchSupport.clock().millis());
            cs = new CloudServer(BenchSupport.env(8), trust, pid -> Optional.of(kms), new EhrRepository() {
                @Override
                public void store(Ehr ehr) {
                }

                @Override
                public Optional<Ehr> latest(byte[] hidI) {
                    return Optional.of(stored);
                }
            }, (h, pid) -> true, tx -> { });
        }
    }

    @State(Scope.Thread)
    public static class ContractPending {
        MedicalCenterSession session;
        ContractUpload upload;

        @Setup(Level.Invocation)
        public void setup(World s) throws ProtocolException {
            PatientAuthentication auth = s.patient.authenticate(s.card, s.pw, s.mc.pid());
            session = s.mc.acceptAuthentication(auth.request());
            auth.acceptResponse(session.response());
            upload = auth.contractUpload();
        }
    }

    /** A FHIR R4 Bundle of about {@code bytes} (observations of one patient). */
    static byte[] fhirRecord(int bytes) {
        StringBuilder b = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[");
        for (int i = 0; b.length() < bytes - 200; i++) {
            b.append(i == 0 ? "" : ",").append("{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"o").append(i)
                    .append("\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},")
                    .append("\"valueQuantity\":{\"value\":").append(60 + i % 40).append(",\"unit\":\"/min\"}}}");
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @State(Scope.Thread)
    public static class AfterMcAnswer {
        PatientAuthentication auth;
        AuthResponse response;

        @Setup(Level.Invocation)
        public void setup(World s) throws ProtocolException {
            auth = s.patient.authenticate(s.card, s.pw, s.mc.pid());
            response = s.mc.acceptAuthentication(auth.request()).response();
        }
    }

    @Benchmark
    public AuthRequest auth1_P_request(World s) throws ProtocolException {
        return s.patient.authenticate(s.card, s.pw, s.mc.pid()).request();
    }

    @Benchmark
    public MedicalCenterSession auth2_MC_respond(World s) throws ProtocolException {
        return s.mc.acceptAuthentication(s.request);
    }

    @Benchmark
    public void auth3_P_confirm(AfterMcAnswer a) throws ProtocolException {
        a.auth.acceptResponse(a.response);
    }

    /** Smart contract (§5.3) at the MC: {@code M_sc}, {@code M_inf}, the patient's {@code Sig_i}. */
    @Benchmark
    public PatientCenterContract contract_MC_accept(ContractPending c) throws ProtocolException {
        return c.session.acceptContractUpload(c.upload);
    }

    /** EHR storing (§5.4), 64 KiB FHIR record: the MC builds {@code M_up, M_CU}, the CS checks them (storage excluded). */
    @Benchmark
    public Ehr ehrStore_MC_CS(World s) throws ProtocolException {
        return s.cs.acceptUpload(s.mc.storeEhr(s.hid, s.record));
    }

    /**
     * EHR requesting (§5.5–5.6), 64 KiB: {@code M_req} with {@code Sig_j} at the MC, the CS's checks
     * and {@code Sig_j} verification and {@code M_E}, the MC's check (ledger append and storage excluded).
     */
    @Benchmark
    public Ehr ehrRequest_MC_CS(World s) throws ProtocolException {
        EhrQuery q = s.mc.requestEhr(s.hid);
        return q.readResponse(s.cs.handleRequest(q.request()));
    }

    @Benchmark
    public AuthRequest cardUnlock_defaultPasswordCost(World s) throws ProtocolException {
        return s.patient.authenticate(s.slowCard, s.pw, s.mc.pid()).request();
    }
}
