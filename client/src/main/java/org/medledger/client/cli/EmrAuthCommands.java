package org.medledger.client.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import jakarta.json.JsonObject;

import org.medledger.client.ApiProblem;
import org.medledger.client.AuditFailure;
import org.medledger.client.CertificateLogin;
import org.medledger.client.DeviceSecrets;
import org.medledger.client.MedLedgerClient;
import org.medledger.client.emrauth.AccessAudit;
import org.medledger.client.emrauth.ConsentTransactions;
import org.medledger.client.emrauth.DeviceParty;
import org.medledger.client.emrauth.DeviceStore;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.crypto.Signer;
import org.medledger.protocol.common.CertificateVerifier;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.PkixCertificateVerifier;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.emrauth.ConsultationRequest;
import org.medledger.protocol.emrauth.ConsultationResponse;
import org.medledger.protocol.emrauth.DiagnosisDelivery;
import org.medledger.protocol.emrauth.Doctor;
import org.medledger.protocol.emrauth.DoctorConsultation;
import org.medledger.protocol.emrauth.DoctorEmrSearch;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.emrauth.EmrRequest;
import org.medledger.protocol.emrauth.HospitalAccessRequest;
import org.medledger.protocol.emrauth.PatientConsultation;
import org.medledger.protocol.emrauth.PatientDevice;
import org.medledger.protocol.emrauth.RegistrationResponse;
import org.medledger.protocol.emrauth.SignalDelivery;
import org.medledger.protocol.pki.DoctorRole;
import org.medledger.protocol.pki.OcspStatusSource;
import org.medledger.transport.HttpOcspTransport;

/**
 * The EMR-AUTH device commands: {@code register}, {@code consult}, {@code diagnose},
 * {@code consent grant|revoke}, {@code search-emr}, {@code audit}. Every protocol check runs on
 * the device; the party's secrets stay in its local PKCS#12 store.
 */
final class EmrAuthCommands {

    static final Set<String> COMMANDS = Set.of("register", "renew", "consult", "diagnose", "consent", "search-emr", "audit");

    static final String USAGE = """
            EMR-AUTH (seed 000) on this device:
              medledger register   --role patient|doctor --user NAME      registers with the KGC and certifies own keys
              medledger renew      --role patient|doctor --user NAME      after a KGC key rotation: renews the partial key
                                   under the current KGC key id (proof by the one held), keys re-certified
              medledger consult    --user PATIENT --doctor ID --signal TEXT   consultation; waits for the diagnosis
              medledger diagnose   --user DOCTOR --patient ID --diagnosis TEXT --hospital ID --department ID --record FHIR.json
                                   answers a consultation, reads the signal, sends the diagnosis, stores the EMR version
              medledger consent    grant|revoke --user PATIENT --doctor ID --department ID [--days N]
                                   consent for one department, signed by the patient's own key
              medledger search-emr --user DOCTOR --patient ID --department ID [--out FILE]
              medledger audit      --user PATIENT     every access to the patient's records, proofs checked here
            options: --api URL (https://127.0.0.1:8443/api)  --keycloak URL (https://127.0.0.1:18443)
                     --keycloak-https URL (https://127.0.0.1:18443)  --realm NAME (medledger)
                     --store FILE (~/.medledger/<user>.p12, password from MEDLEDGER_DEVICE_PASSWORD or a prompt)
                     --password-env VAR (patients' login password, default MEDLEDGER_PASSWORD)
                     --certificate FILE.p12 (doctors: the authority's certificate; password MEDLEDGER_KEY_PASSWORD)
                     --ca FILE.pem (the medical authority's CA)  --ocsp URL (its OCSP responder, http://127.0.0.1:18090/)
                     --wait-seconds N (consult/diagnose, default 300)
            """;

    static final Set<String> OPTIONS = Set.of("api", "keycloak", "keycloak-https", "realm", "store", "password-env", "user",
            "role", "certificate", "ca", "ocsp", "doctor", "patient", "signal", "diagnosis", "hospital", "department", "record",
            "out", "days", "wait-seconds");

    private final PrintStream out;
    private final PrintStream err;
    private final Terminal term;
    private final CurveProfile curve = CurveProfile.p256();
    private final SecureRandom random = new SecureRandom();

    EmrAuthCommands(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.term = new Terminal(out, err, env);
    }

    int run(String[] args) {
        String command = args[0];
        int first = 1;
        String sub = null;
        if (command.equals("consent")) {
            if (args.length < 2 || !Set.of("grant", "revoke").contains(args[1])) {
                err.print(USAGE);
                return 1;
            }
            sub = args[1];
            first = 2;
        }
        Map<String, String> o;
        try {
            o = Terminal.options(args, first, OPTIONS);
            Terminal.require(o, "user");
        } catch (IllegalArgumentException e) {
            return term.failed(e, USAGE);
        }
        DeviceStore store = null;
        try {
            store = term.deviceStore(o);
            return switch (command) {
                case "register" -> register(o, store);
                case "renew" -> renew(o, store);
                case "consult" -> consult(o, store);
                case "diagnose" -> diagnose(o, store);
                case "consent" -> consent(o, store, sub);
                case "search-emr" -> searchEmr(o, store);
                default -> audit(o, store);
            };
        } catch (Exception e) {
            return term.failed(e, USAGE);
        } finally {
            if (store != null) {
                store.destroy();
            }
        }
    }

    // ---- commands ----

    private int register(Map<String, String> o, DeviceStore store)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Terminal.require(o, "role");
        String role = o.get("role");
        String id = o.get("user");
        if (store.exists()) {
            throw new IllegalArgumentException("this device already holds a key store for " + id + ": " + store.file());
        }
        EmrAuthClient api = api(o);
        MasterPublicKey pk = new MedLedgerClient(term.http, Terminal.api(o)).kgcPublicKey(curve);
        PartyKeys keys = PartyKeys.generate(curve, random);
        if (role.equals("patient")) {
            String token = term.passwordToken(o);
            EmrAuthClient.ServerTrust t = api.trust(token);
            byte[] b = new byte[DeviceSecrets.LENGTH];
            random.nextBytes(b);
            SecretBytes bP = SecretBytes.copyOf(b);
            java.util.Arrays.fill(b, (byte) 0);
            MedLedgerClient.PatientRegistrationResult r = new MedLedgerClient(term.http, Terminal.api(o)).registerPatient(token, id, bP, curve);
            if (!r.kgcPublicKey().equals(pk)) {
                throw new ProtocolException(Reason.BAD_PARAMETER, "the KGC answered with another PK than the one fetched");
            }
            // S_P·P == R_P1 + H(ID_P‖B_P‖R_P1)·PK  (seed 000, eq. 4)
            new PatientDevice(env(), pk, id, bP).acceptRegistration(r.response());
            DeviceParty.saveBiometric(store, bP);
            DeviceParty.saveKeys(store, keys);
            DeviceParty.savePartialKey(store, r.response());
            DeviceParty.savePinned(store, new DeviceParty.Pinned(pk, t.certifierKey(), t.publicCloudId()));
            Signer ledger = DeviceParty.newLedgerKey(store, curve, random);
            api.certify(token, EmrAuthRoles.PATIENT, id, keys.signingPublic().encoded(), keys.kemPublic().encoded(), ledger.publicKey());
            out.println("Registered patient " + id + ": S_P·P == R_P1 + H(ID_P||B_P||R_P1)·PK holds (eq. 4); keys certified; ledger member.");
        } else if (role.equals("doctor")) {
            Terminal.require(o, "certificate");
            String token = term.doctorToken(o);
            EmrAuthClient.ServerTrust t = api.trust(token);
            byte[] certD = certificateDer(o);
            RegistrationResponse r = api.registerDoctor(token, id, certD,
                    CertificateLogin.privateKey(Path.of(o.get("certificate")), term.secret("MEDLEDGER_KEY_PASSWORD", "Certificate password: ")));
            // S_D·P == R_D1 + H(ID_D‖Cert_D‖R_D1)·PK  (seed 000, eq. 10)
            new Doctor(env(), pk, id, certD).acceptRegistration(r);
            DeviceParty.saveKeys(store, keys);
            DeviceParty.savePartialKey(store, r);
            DeviceParty.savePinned(store, new DeviceParty.Pinned(pk, t.certifierKey(), t.publicCloudId()));
            api.certify(token, EmrAuthRoles.DOCTOR, id, keys.signingPublic().encoded(), keys.kemPublic().encoded(), null);
            out.println("Registered doctor " + id + ": S_D·P == R_D1 + H(ID_D||Cert_D||R_D1)·PK holds (eq. 10); keys certified.");
        } else {
            throw new IllegalArgumentException("--role must be patient or doctor");
        }
        out.println("Secrets kept in " + store.file());
        return 0;
    }

    /**
     * After a KGC master key rotation: renews the partial key this device holds under the current
     * key id, proving possession of the one it holds; checks the new one (eq. 4 / eq. 10) against the
     * current {@code PK} before it replaces the old one and the pinned {@code PK} in the store.
     */
    private int renew(Map<String, String> o, DeviceStore store)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Terminal.require(o, "role");
        String role = o.get("role");
        String id = o.get("user");
        EmrAuthClient api = api(o);
        DeviceParty.Pinned pinned = DeviceParty.pinned(store, curve);
        RegistrationResponse held = DeviceParty.partialKey(store, curve);
        MasterPublicKey pk = new MedLedgerClient(term.http, Terminal.api(o)).kgcPublicKey(curve);
        EmrAuthClient.Renewal r;
        if (role.equals("patient")) {
            String token = term.passwordToken(o);
            SecretBytes bP = DeviceParty.biometric(store);
            r = api.renewPatient(token, id, bP, pinned.pk(), held);
            requireCurrent(r, pk);
            // S_P·P == R_P1 + H(ID_P‖B_P‖R_P1)·PK under the current PK  (seed 000, eq. 4)
            new PatientDevice(env(), pk, id, bP).acceptRegistration(r.response());
        } else if (role.equals("doctor")) {
            Terminal.require(o, "certificate");
            String token = term.doctorToken(o);
            byte[] certD = certificateDer(o);
            r = api.renewDoctor(token, id, certD, pinned.pk(), held);
            requireCurrent(r, pk);
            // S_D·P == R_D1 + H(ID_D‖Cert_D‖R_D1)·PK under the current PK  (seed 000, eq. 10)
            new Doctor(env(), pk, id, certD).acceptRegistration(r.response());
        } else {
            throw new IllegalArgumentException("--role must be patient or doctor");
        }
        DeviceParty.savePartialKey(store, r.response());
        DeviceParty.savePinned(store, new DeviceParty.Pinned(pk, pinned.certifierKey(), pinned.publicCloudId()));
        out.println("Renewed " + role + " " + id + " under KGC key id " + r.kgcKeyId() + " (was " + r.previousKeyId()
                + "), ledger entry " + r.logIndex() + "; the partial key checks against the current PK.");
        return 0;
    }

    private static void requireCurrent(EmrAuthClient.Renewal r, MasterPublicKey pk) throws ProtocolException {
        if (!r.kgcPublicKey().equals(pk)) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "the KGC answered with another PK than the current one fetched");
        }
    }

    /** Patient side of the consultation (eq. 11–24) and the diagnosis (eq. 49–50), through the server's relay. */
    private int consult(Map<String, String> o, DeviceStore store)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Terminal.require(o, "doctor", "signal");
        String id = o.get("user");
        String doctor = o.get("doctor");
        String token = term.passwordToken(o);
        EmrAuthClient api = api(o);
        PatientDevice p = new PatientDevice(env(), trust(store, api, token, o), DeviceParty.keys(store, curve), id,
                DeviceParty.biometric(store));
        p.acceptRegistration(DeviceParty.partialKey(store, curve));
        PatientConsultation c = p.startConsultation(doctor);
        api.relaySend(token, doctor, "consultation-request", c.request().encode());
        out.println("Consultation request sent to " + doctor + "; waiting for the doctor...");
        ConsultationResponse r = ConsultationResponse.decode(curve, await(api, token, doctor, "consultation-response", o));
        // Cert_D, Sig_D1 and SEK1 checked here (eq. 20–22)
        SignalDelivery signal = c.acceptResponse(r, o.get("signal").getBytes(StandardCharsets.UTF_8));
        api.relaySend(token, doctor, "signal", signal.encode());
        out.println("Doctor authenticated (Cert_D, Sig_D1, SEK1); signal sent sealed under SEK1. Waiting for the diagnosis...");
        byte[] d = c.readDiagnosis(DiagnosisDelivery.decode(curve, await(api, token, doctor, "diagnosis", o)));
        out.println("Diagnosis from " + doctor + " (Cert_D checked, eq. 50):");
        out.println(new String(d, StandardCharsets.UTF_8));
        return 0;
    }

    /** Doctor side: answers the consultation, reads the signal, sends the diagnosis and stores it as an EMR version. */
    private int diagnose(Map<String, String> o, DeviceStore store)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Terminal.require(o, "patient", "diagnosis", "hospital", "department", "record", "certificate");
        String patient = o.get("patient");
        String token = term.doctorToken(o);
        EmrAuthClient api = api(o);
        Doctor d = doctor(o, store, api, token);
        out.println("Waiting for a consultation request from " + patient + "...");
        ConsultationRequest req = ConsultationRequest.decode(curve, await(api, token, patient, "consultation-request", o));
        DoctorConsultation c = d.acceptConsultation(req);
        api.relaySend(token, patient, "consultation-response", c.response().encode());
        byte[] signal = c.readSignal(SignalDelivery.decode(curve, await(api, token, patient, "signal", o)));
        out.println("Signal from " + patient + ": " + new String(signal, StandardCharsets.UTF_8));
        api.relaySend(token, patient, "diagnosis", c.diagnose(o.get("diagnosis").getBytes(StandardCharsets.UTF_8)).encode());
        byte[] record = Files.readAllBytes(Path.of(o.get("record")));
        JsonObject stored = api.storeVersion(token, o.get("hospital"),
                d.submitEmrVersion(o.get("hospital"), patient, o.get("department"), record));
        out.println("Diagnosis sent; EMR version stored at " + o.get("hospital") + " and indexed (" + stored + ").");
        return 0;
    }

    /** Consent grant or revocation, signed by the patient's own ledger key on this device. */
    private int consent(Map<String, String> o, DeviceStore store, String sub)
            throws IOException, InterruptedException, ApiProblem {
        Terminal.require(o, "doctor", "department");
        String id = o.get("user");
        Signer key = DeviceParty.ledgerKey(store);
        byte[] tx = sub.equals("grant")
                ? ConsentTransactions.grant(key, id, o.get("doctor"), o.get("department"),
                        Instant.now().plus(Duration.ofDays(Long.parseLong(o.getOrDefault("days", "30")))).toEpochMilli())
                : ConsentTransactions.revoke(key, id, o.get("doctor"), o.get("department"));
        JsonObject r = api(o).submitConsent(term.passwordToken(o), tx);
        out.println("Consent " + sub + " for " + o.get("doctor") + " in " + o.get("department") + " is on the ledger at log index " + r.getJsonNumber("logIndex"));
        return 0;
    }

    /** EMR search (eq. 25–48): the record arrives only after its access entry is on the ledger. */
    private int searchEmr(Map<String, String> o, DeviceStore store)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Terminal.require(o, "patient", "department", "certificate");
        String token = term.doctorToken(o);
        EmrAuthClient api = api(o);
        Doctor d = doctor(o, store, api, token);
        DoctorEmrSearch s = d.startEmrSearch(DeviceParty.pinned(store, curve).publicCloudId(), o.get("patient"), o.get("department"));
        HospitalAccessRequest access = s.acceptSearchResponse(api.search(token, s.request()));
        EmrAuthClient.OpenedAccess opened = api.openAccess(token, s.hospitalId(), access);
        EmrRequest req = s.acceptAccessResponse(opened.response());
        EmrAuthClient.Released released = api.release(token, s.hospitalId(), opened.sessionId(), req);
        byte[] emr = s.readEmr(released.delivery());
        out.println("EMR of " + o.get("patient") + " from " + s.hospitalId() + " (SEK2 confirmed; access entry at log index "
                + released.logIndex() + ")");
        if (o.containsKey("out")) {
            Files.write(Path.of(o.get("out")), emr);
            out.println("written to " + o.get("out"));
        } else {
            out.println(new String(emr, StandardCharsets.UTF_8));
        }
        return 0;
    }

    /** The patient's access list, every inclusion and the consistency with the last head verified here. */
    private int audit(Map<String, String> o, DeviceStore store)
            throws IOException, InterruptedException, ApiProblem, ProtocolException, AuditFailure {
        String id = o.get("user");
        Optional<DeviceParty.AuditHead> last = DeviceParty.auditHead(store);
        long since = last.map(DeviceParty.AuditHead::size).orElse(0L);
        JsonObject r = api(o).accesses(term.passwordToken(o), since);
        AccessAudit.Verified v = AccessAudit.verify(r, id, last.map(DeviceParty.AuditHead::anchors).orElse(null), since,
                last.map(h -> Digest.of(h.root())).orElse(null));
        DeviceParty.saveAuditHead(store, v.anchors(), v.treeSize(), v.rootHash().bytes());
        out.println("Accesses to the records of " + id + " (each included under the producer-signed tree head of size "
                + v.treeSize() + (since > 0 ? ", consistent with size " + since : "") + "):");
        for (AccessAudit.Access a : v.accesses()) {
            out.printf("  #%d  %s  %-8s by %s at %s (%s)%n", a.logIndex(), Instant.ofEpochMilli(a.at()), a.outcome(),
                    a.accessorId(), a.holderId(), a.reason());
        }
        if (v.accesses().isEmpty()) {
            out.println("  (none)");
        }
        return 0;
    }

    // ---- device parties ----

    private Doctor doctor(Map<String, String> o, DeviceStore store, EmrAuthClient api, String token)
            throws IOException, ProtocolException {
        Doctor d = new Doctor(env(), trust(store, api, token, o), DeviceParty.keys(store, curve), o.get("user"), certificateDer(o));
        d.acceptRegistration(DeviceParty.partialKey(store, curve));
        return d;
    }

    private TrustContext trust(DeviceStore store, EmrAuthClient api, String token, Map<String, String> o)
            throws IOException, ProtocolException {
        DeviceParty.Pinned p = DeviceParty.pinned(store, curve);
        return new TrustContext(p.pk(), p.certifierKey(), api.directory(token), verifier(o));
    }

    /** The device's decision on {@code Cert_D}: PKIX to the authority's CA, revocation from its OCSP responder. */
    private CertificateVerifier verifier(Map<String, String> o) throws IOException {
        Clock clock = Clock.systemUTC();
        if (!o.containsKey("ca")) {
            throw new IllegalArgumentException("--ca (the medical authority's CA certificate) is required");
        }
        X509Certificate ca;
        try (var in = Files.newInputStream(Path.of(o.get("ca")))) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (java.security.cert.CertificateException e) {
            throw new IOException("the CA certificate cannot be read");
        }
        return new PkixCertificateVerifier(ca, List.of(), OcspStatusSource.builder(clock, random,
                        HttpOcspTransport.withTimeout(Duration.ofSeconds(3)))
                .responder(URI.create(o.getOrDefault("ocsp", "http://127.0.0.1:18090/"))).build(), clock,
                PkixCertificateVerifier::subjectCommonName, DoctorRole::isPresentIn);
    }

    private byte[] certificateDer(Map<String, String> o) throws IOException {
        try {
            return CertificateLogin.certificate(Path.of(o.get("certificate")), term.secret("MEDLEDGER_KEY_PASSWORD",
                    "Certificate password: ")).getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException("the certificate cannot be encoded");
        }
    }

    private byte[] await(EmrAuthClient api, String token, String from, String kind, Map<String, String> o)
            throws IOException, InterruptedException, ApiProblem {
        long deadline = System.currentTimeMillis() + 1000L * Long.parseLong(o.getOrDefault("wait-seconds", "300"));
        while (System.currentTimeMillis() < deadline) {
            Optional<byte[]> m = api.relayTake(token, from, kind);
            if (m.isPresent()) {
                return m.get();
            }
            Thread.sleep(1000);
        }
        throw new IOException("no " + kind + " from " + from + " in time");
    }

    private Environment env() {
        return Environment.of(curve, Clock.systemUTC(), random);
    }

    private EmrAuthClient api(Map<String, String> o) {
        return new EmrAuthClient(term.http, Terminal.api(o), curve);
    }
}
