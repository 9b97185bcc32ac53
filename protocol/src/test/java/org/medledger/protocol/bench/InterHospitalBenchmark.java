package org.medledger.protocol.bench;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.InMemoryPartyDirectory;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.interhospital.BlockchainCenter;
import org.medledger.protocol.interhospital.HandshakeChallenge;
import org.medledger.protocol.interhospital.HandshakeConfirm;
import org.medledger.protocol.interhospital.HandshakeHello;
import org.medledger.protocol.interhospital.Hospital;
import org.medledger.protocol.interhospital.HospitalSession;
import org.medledger.protocol.interhospital.Patient;
import org.medledger.protocol.interhospital.PatientVisit;
import org.medledger.protocol.interhospital.RegistrationOutcome;
import org.medledger.protocol.interhospital.VisitRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** INTER-HOSPITAL initial-treatment handshake per party (seed 002, eq. 14–29). */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InterHospitalBenchmark {

    @State(Scope.Thread)
    public static class World {
        final CurveProfile c = CurveProfile.p256();
        Patient pat;
        Hospital hpa;
        HandshakeHello hello;
        final byte[] symptoms = new byte[256];

        @Setup(Level.Trial)
        public void setup() throws ProtocolException {
            InMemoryPartyDirectory dir = new InMemoryPartyDirectory();
            KeyCertifier certifier = new KeyCertifier(SigningKey.generate(c, BenchSupport.random(2)), BenchSupport.clock(), Duration.ofDays(1));
            BlockchainCenter center = new BlockchainCenter(BenchSupport.env(3), MasterSecret.generate(c, BenchSupport.random(4)), certifier);
            TrustContext trust = new TrustContext(center.publicKey(), certifier.verificationKey(), dir, (x, y) -> { });
            pat = new Patient(BenchSupport.env(5), trust, PartyKeys.generate(c, BenchSupport.random(6)), "PAT", q -> true);
            hpa = new Hospital(BenchSupport.env(7), trust, PartyKeys.generate(c, BenchSupport.random(8)), "HPA", q -> true);
            RegistrationOutcome o1 = center.register(pat.registrationRequest(""));
            dir.put(o1.grant().entry());
            pat.acceptRegistration(o1.grant());
            RegistrationOutcome o2 = center.register(hpa.registrationRequest(""));
            dir.put(o2.grant().entry());
            hpa.acceptRegistration(o2.grant());
            hello = pat.visit("HPA").hello();
        }
    }

    @State(Scope.Thread)
    public static class AfterChallenge {
        PatientVisit visit;
        HandshakeChallenge challenge;

        @Setup(Level.Invocation)
        public void setup(World s) throws ProtocolException {
            visit = s.pat.visit("HPA");
            challenge = s.hpa.accept(visit.hello()).challenge();
        }
    }

    @State(Scope.Thread)
    public static class AfterConfirm {
        HospitalSession session;
        HandshakeConfirm confirm;

        @Setup(Level.Invocation)
        public void setup(World s) throws ProtocolException {
            PatientVisit v = s.pat.visit("HPA");
            session = s.hpa.accept(v.hello());
            confirm = v.acceptChallenge(session.challenge(), s.symptoms, Optional.empty());
        }
    }

    @Benchmark
    public HandshakeHello treatment1_PAT_hello(World s) throws ProtocolException {
        return s.pat.visit("HPA").hello();
    }

    @Benchmark
    public HandshakeChallenge treatment2_HPA_challenge(World s) throws ProtocolException {
        return s.hpa.accept(s.hello).challenge();
    }

    @Benchmark
    public HandshakeConfirm treatment3_PAT_confirm(World s, AfterChallenge a) throws ProtocolException {
        return a.visit.acceptChallenge(a.challenge, s.symptoms, Optional.empty());
    }

    @Benchmark
    public VisitRequest treatment4_HPA_accept(AfterConfirm a) throws ProtocolException {
        return a.session.acceptVisit(a.confirm);
    }
}
