package org.medledger.protocol.bench;

import java.util.concurrent.TimeUnit;

import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.emrauth.AcceptedEmrVersion;
import org.medledger.protocol.emrauth.ConsultationRequest;
import org.medledger.protocol.emrauth.ConsultationResponse;
import org.medledger.protocol.emrauth.DiagnosisDelivery;
import org.medledger.protocol.emrauth.DoctorConsultation;
import org.medledger.protocol.emrauth.DoctorEmrSearch;
import org.medledger.protocol.emrauth.EmrDelivery;
import org.medledger.protocol.emrauth.EmrRelease;
import org.medledger.protocol.emrauth.EmrRequest;
import org.medledger.protocol.emrauth.EmrSearchOutcome;
import org.medledger.protocol.emrauth.EmrSearchRequest;
import org.medledger.protocol.emrauth.EmrSearchResponse;
import org.medledger.protocol.emrauth.EmrVersionSubmission;
import org.medledger.protocol.emrauth.IndexUpdate;
import org.medledger.protocol.emrauth.HospitalAccessRequest;
import org.medledger.protocol.emrauth.HospitalAccessResponse;
import org.medledger.protocol.emrauth.HospitalAccessSession;
import org.medledger.protocol.emrauth.PatientConsultation;
import org.medledger.protocol.emrauth.PatientRegistration;
import org.medledger.protocol.emrauth.RegistrationResponse;
import org.medledger.protocol.emrauth.SignalDelivery;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * EMR-AUTH, one benchmark per party per step. Steps whose session object changes state get a
 * fresh session from an invocation-level setup (not measured); so does the doctor's consultation
 * step 4, the first use of SEK1 on the doctor's side (it keys the session's AES-GCM). The
 * diagnosis runs on sessions that have completed the consultation, as in the protocol, so both
 * sides reuse the session's keyed AES-GCM.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EmrAuthBenchmark {

    @State(Scope.Thread)
    public static class World {
        EmrAuthBench w;
        PatientRegistration reg;
        RegistrationResponse regResp;
        ConsultationRequest request;
        DoctorConsultation dSide;
        SignalDelivery signal;
        DiagnosisDelivery diagnosis;
        PatientConsultation pSideDone;
        EmrSearchRequest searchRequest;
        HospitalAccessRequest accessRequest;
        EmrVersionSubmission versionSubmission;
        IndexUpdate indexUpdate;
        final byte[] mSD = new byte[EmrAuthBench.MESSAGE_LENGTH];
        final byte[] mDinf = new byte[EmrAuthBench.MESSAGE_LENGTH];

        @Setup(Level.Trial)
        public void setup() throws ProtocolException {
            w = new EmrAuthBench();
            reg = w.patient.registrationRequest();
            regResp = w.pc.registerPatient(reg);
            PatientConsultation p = w.patient.startConsultation("D");
            request = p.request();
            dSide = w.doctor.acceptConsultation(request);
            signal = p.acceptResponse(dSide.response(), mSD);
            pSideDone = p;
            dSide.readSignal(signal);
            diagnosis = dSide.diagnose(mDinf);
            versionSubmission = w.doctor.submitEmrVersion("HPC", "P", "DE", w.emr);
            indexUpdate = w.hpc.acceptEmrVersion(versionSubmission, "PC", EmrAuthBench.CONSENT).indexUpdate();
            DoctorEmrSearch s = w.doctor.startEmrSearch("PC", "P", "DE");
            searchRequest = s.request();
            accessRequest = s.acceptSearchResponse(w.pc.handleEmrSearch(searchRequest).response());
        }
    }

    /** A consultation after step 2, for the patient's step 3. */
    @State(Scope.Thread)
    public static class AfterDoctorAnswer {
        PatientConsultation pSide;
        ConsultationResponse response;

        @Setup(Level.Invocation)
        public void setup(World s) throws ProtocolException {
            pSide = s.w.patient.startConsultation("D");
            response = s.w.doctor.acceptConsultation(pSide.request()).response();
        }
    }

    /** A fresh doctor session with the patient's C_P2, for the doctor's step 4. */
    @State(Scope.Thread)
    public static class AfterSignal {
        DoctorConsultation dSide;
        SignalDelivery signal;

        @Setup(Level.Invocation)
        public void setup(World s) throws ProtocolException {
            PatientConsultation p = s.w.patient.startConsultation("D");
            dSide = s.w.doctor.acceptConsultation(p.request());
            signal = p.acceptResponse(dSide.response(), s.mSD);
        }
    }

    /** A search after the PC answered, for the doctor's step 3. */
    @State(Scope.Thread)
    public static class AfterLocation {
        DoctorEmrSearch search;
        EmrSearchResponse response;

        @Setup(Level.Invocation)
        public void setup(World s) throws ProtocolException {
            search = s.w.doctor.startEmrSearch("PC", "P", "DE");
            response = s.w.pc.handleEmrSearch(search.request()).response();
        }
    }

    /** A search after the HPC answered, for the doctor's step 5. */
    @State(Scope.Thread)
    public static class AfterHospitalAnswer {
        DoctorEmrSearch search;
        HospitalAccessResponse response;

        @Setup(Level.Invocation)
        public void setup(World s) throws ProtocolException {
            search = s.w.doctor.startEmrSearch("PC", "P", "DE");
            response = s.w.hpc.acceptAccessRequest(search.acceptSearchResponse(s.w.pc.handleEmrSearch(search.request()).response())).response();
        }
    }

    /** An HPC session with the doctor's C_D4, for the HPC's step 6. */
    @State(Scope.Thread)
    public static class AfterEmrRequest {
        HospitalAccessSession hpcSide;
        EmrRequest emrRequest;

        @Setup(Level.Invocation)
        public void setup(World s) throws ProtocolException {
            DoctorEmrSearch search = s.w.doctor.startEmrSearch("PC", "P", "DE");
            hpcSide = s.w.hpc.acceptAccessRequest(search.acceptSearchResponse(s.w.pc.handleEmrSearch(search.request()).response()));
            emrRequest = search.acceptAccessResponse(hpcSide.response());
        }
    }

    /** A search with the EMR released, for the doctor's step 7. */
    @State(Scope.Thread)
    public static class AfterRelease {
        DoctorEmrSearch search;
        EmrDelivery delivery;

        @Setup(Level.Invocation)
        public void setup(World s) throws ProtocolException {
            search = s.w.doctor.startEmrSearch("PC", "P", "DE");
            HospitalAccessSession h = s.w.hpc.acceptAccessRequest(search.acceptSearchResponse(s.w.pc.handleEmrSearch(search.request()).response()));
            EmrRelease r = h.release(search.acceptAccessResponse(h.response()), EmrAuthBench.CONSENT, s.w.emrs);
            delivery = r.delivery();
        }
    }

    // ------------------------------------------------------------ registration (eq. 2–4)

    @Benchmark
    public RegistrationResponse registration_PC_issue(World s) {
        return s.w.pc.registerPatient(s.reg);
    }

    @Benchmark
    public void registration_P_verify(World s) throws ProtocolException {
        s.w.patient.acceptRegistration(s.regResp);
    }

    // ------------------------------------------------------------ consultation (eq. 11–24)

    @Benchmark
    public ConsultationRequest consultation1_P_request(World s) throws ProtocolException {
        return s.w.patient.startConsultation("D").request();
    }

    @Benchmark
    public ConsultationResponse consultation2_D_respond(World s) throws ProtocolException {
        return s.w.doctor.acceptConsultation(s.request).response();
    }

    @Benchmark
    public SignalDelivery consultation3_P_confirm(World s, AfterDoctorAnswer a) throws ProtocolException {
        return a.pSide.acceptResponse(a.response, s.mSD);
    }

    @Benchmark
    public byte[] consultation4_D_readSignal(AfterSignal a) throws ProtocolException {
        return a.dSide.readSignal(a.signal);
    }

    // ------------------------------------------------------------ diagnosis (eq. 49–50)

    @Benchmark
    public DiagnosisDelivery diagnosis_D_send(World s) {
        return s.dSide.diagnose(s.mDinf);
    }

    @Benchmark
    public byte[] diagnosis_P_read(World s) throws ProtocolException {
        return s.pSideDone.readDiagnosis(s.diagnosis);
    }

    /** The diagnosis as a new EMR version for the HPC, encrypted to it and signed by the doctor (PROTOCOLS.md §1, diagnosis). */
    @Benchmark
    public EmrVersionSubmission diagnosis_D_submitVersion(World s) throws ProtocolException {
        return s.w.doctor.submitEmrVersion("HPC", "P", "DE", s.w.emr);
    }

    /** The HPC stores the version (certificate and signature checked) and signs the PC's index update. */
    @Benchmark
    public AcceptedEmrVersion diagnosis_HPC_acceptVersion(World s) throws ProtocolException {
        return s.w.hpc.acceptEmrVersion(s.versionSubmission, "PC", EmrAuthBench.CONSENT);
    }

    /** The PC applies the HPC-signed index update (erratum 8). */
    @Benchmark
    public void diagnosis_PC_applyIndex(World s) throws ProtocolException {
        s.w.pc.applyIndexUpdate(s.indexUpdate, EmrAuthBench.CONSENT);
    }

    // ------------------------------------------------------------ EMR search (eq. 25–48)

    @Benchmark
    public EmrSearchRequest search1_D_request(World s) throws ProtocolException {
        return s.w.doctor.startEmrSearch("PC", "P", "DE").request();
    }

    @Benchmark
    public EmrSearchOutcome search2_PC_locate(World s) throws ProtocolException {
        return s.w.pc.handleEmrSearch(s.searchRequest);
    }

    @Benchmark
    public HospitalAccessRequest search3_D_askHospital(AfterLocation a) throws ProtocolException {
        return a.search.acceptSearchResponse(a.response);
    }

    @Benchmark
    public HospitalAccessResponse search4_HPC_respond(World s) throws ProtocolException {
        return s.w.hpc.acceptAccessRequest(s.accessRequest).response();
    }

    @Benchmark
    public EmrRequest search5_D_confirm(AfterHospitalAnswer a) throws ProtocolException {
        return a.search.acceptAccessResponse(a.response);
    }

    @Benchmark
    public EmrRelease search6_HPC_release(World s, AfterEmrRequest a) throws ProtocolException {
        return a.hpcSide.release(a.emrRequest, EmrAuthBench.CONSENT, s.w.emrs);
    }

    @Benchmark
    public byte[] search7_D_readEmr(AfterRelease a) throws ProtocolException {
        return a.search.readEmr(a.delivery);
    }
}
