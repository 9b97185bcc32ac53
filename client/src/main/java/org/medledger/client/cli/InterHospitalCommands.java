package org.medledger.client.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.medledger.client.ApiProblem;
import org.medledger.client.MedLedgerClient;
import org.medledger.client.emrauth.ConsentTransactions;
import org.medledger.client.emrauth.DeviceStore;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.client.interhospital.InterHospitalClient;
import org.medledger.client.interhospital.InterHospitalDevice;
import org.medledger.ledger.crypto.Signer;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.interhospital.MedicalIndexEntry;
import org.medledger.protocol.interhospital.Patient;
import org.medledger.protocol.interhospital.PatientVisit;
import org.medledger.protocol.interhospital.ReceivedRecord;
import org.medledger.protocol.interhospital.ReleaseAuthorization;
import org.medledger.protocol.interhospital.TreatmentConsent;

/**
 * The INTER-HOSPITAL patient commands: {@code ih-register} (through the blockchain center, own
 * keys), {@code ih-visit} (treatment consent, the visit handshake, waiting for the record, and for
 * a referral the release authorization signed here) and {@code ih-index}. Every check runs on
 * the device; the secrets stay in its key store.
 */
final class InterHospitalCommands {

    static final Set<String> COMMANDS = Set.of("ih-register", "ih-visit", "ih-index");

    static final String USAGE = """
            INTER-HOSPITAL (seed 002) on a patient's device:
              medledger ih-register --user PATIENT          registers through the blockchain center with own keys
              medledger ih-visit    --user PATIENT --hospital ID --symptoms TEXT [--out FILE]
                                    [--release-from HOLDER --records DX1,DX2 [--valid-hours N]]
                                    consents to treatment, visits the hospital and waits for the signed record; with
                                    --release-from, signs the authorization that lets this hospital fetch the records
              medledger ih-index    --user PATIENT          the medical index kept on this device
            options: --api URL  --keycloak URL  --realm NAME  --store FILE  --password-env VAR
                     --consent-days N (treatment consent, default 30)  --wait-seconds N (default 600)
            """;

    static final Set<String> OPTIONS = Set.of("api", "keycloak", "realm", "store", "password-env", "user", "hospital", "symptoms",
            "out", "release-from", "records", "valid-hours", "consent-days", "wait-seconds");

    private final PrintStream out;
    private final PrintStream err;
    private final Terminal term;
    private final CurveProfile curve = CurveProfile.p256();
    private final SecureRandom random = new SecureRandom();

    InterHospitalCommands(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.term = new Terminal(out, err, env);
    }

    int run(String[] args) {
        Map<String, String> o;
        try {
            o = Terminal.options(args, 1, OPTIONS);
            Terminal.require(o, "user");
        } catch (IllegalArgumentException e) {
            return term.failed(e, USAGE);
        }
        DeviceStore store = null;
        try {
            store = term.deviceStore(o);
            return switch (args[0]) {
                case "ih-register" -> register(o, store);
                case "ih-visit" -> visit(o, store);
                default -> index(store);
            };
        } catch (Exception e) {
            return term.failed(e, USAGE);
        } finally {
            if (store != null) {
                store.destroy();
            }
        }
    }

    private int register(Map<String, String> o, DeviceStore store)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        String id = o.get("user");
        if (InterHospitalDevice.registered(store)) {
            throw new IllegalArgumentException("this device is already registered for INTER-HOSPITAL: " + store.file());
        }
        String token = term.passwordToken(o);
        MasterPublicKey pk = new MedLedgerClient(term.http, Terminal.api(o)).kgcPublicKey(curve);
        var certifier = new EmrAuthClient(term.http, Terminal.api(o), curve).trust(token).certifierKey();
        PartyKeys keys = PartyKeys.generate(curve, random);
        Signer ledger = InterHospitalDevice.ledgerKey(store, curve, random);
        InterHospitalClient ih = new InterHospitalClient(term.http, Terminal.api(o), curve);
        var grant = ih.registerPatient(token, id, keys.signingPublic().encoded(), keys.kemPublic().encoded(), ledger.publicKey());
        Patient p = new Patient(env(), new TrustContext(pk, certifier, ih.directory(token), (c, i) -> { }), keys, id,
                ih.ledgerChecks(token));
        // S_PAT·P == R_PAT + H1(ID_PAT, R_PAT)·PK; the entry certifies our own keys  (seed 002, eq. 5)
        p.acceptRegistration(grant);
        InterHospitalDevice.save(store, keys, grant, pk, certifier, curve);
        out.println("Registered patient " + id + " with the blockchain center: S_PAT·P == R_PAT + H1(ID_PAT, R_PAT)·PK holds (eq. 5); "
                + "ptins on the ledger. Secrets kept in " + store.file());
        return 0;
    }

    private int visit(Map<String, String> o, DeviceStore store)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Terminal.require(o, "hospital", "symptoms");
        String id = o.get("user");
        String hospital = o.get("hospital");
        String token = term.passwordToken(o);
        InterHospitalClient ih = new InterHospitalClient(term.http, Terminal.api(o), curve);
        InterHospitalDevice.Pinned pinned = InterHospitalDevice.pinned(store, curve);
        Patient p = new Patient(env(), new TrustContext(pinned.pk(), pinned.certifierKey(), ih.directory(token), (c, i) -> { }),
                InterHospitalDevice.keys(store, curve), id, ih.ledgerChecks(token));
        p.acceptRegistration(InterHospitalDevice.grant(store, curve));
        Optional<ReleaseAuthorization> auth = Optional.empty();
        if (o.containsKey("release-from")) {
            Terminal.require(o, "records");
            List<String> records = Arrays.stream(o.get("records").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            // S_SK_PAT(ID_HPB, record ids, expiry), signed on this device  (PROTOCOLS.md §3, erratum 3)
            auth = Optional.of(p.authorize(hospital, o.get("release-from"), records,
                    Duration.ofHours(Long.parseLong(o.getOrDefault("valid-hours", "24")))));
            out.println("Signed the release authorization: " + o.get("release-from") + " may release " + records + " to " + hospital);
        }
        Signer ledger = InterHospitalDevice.ledgerKey(store, curve, random);
        long expiry = Instant.now().plus(Duration.ofDays(Long.parseLong(o.getOrDefault("consent-days", "30")))).toEpochMilli();
        new EmrAuthClient(term.http, Terminal.api(o), curve).submitConsent(token,
                ConsentTransactions.grant(ledger, id, hospital, TreatmentConsent.SCOPE, expiry));
        out.println("Treatment consent for " + hospital + " on the ledger (signed by this device).");
        PatientVisit v = p.visit(hospital);
        InterHospitalClient.OpenedVisit opened = ih.openVisit(token, hospital, v.hello());
        // SEK_AP derived and CHK_PA checked here, hachk on the ledger  (seed 002, eq. 21–25)
        ih.confirmVisit(token, hospital, opened.sessionId(), v.acceptChallenge(opened.challenge(),
                o.get("symptoms").getBytes(StandardCharsets.UTF_8), auth));
        out.println("Hospital " + hospital + " authenticated (CHK); visit " + opened.sessionId() + " open. Waiting for the record...");
        var delivery = ih.awaitDelivery(token, hospital, opened.sessionId(),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("wait-seconds", "600"))));
        if (delivery.isEmpty()) {
            err.println("No record yet for visit " + opened.sessionId());
            return 2;
        }
        // c_H decrypted, Sig_H and Cert_H verified  (seed 002, eq. 32–33)
        ReceivedRecord r = v.acceptRecord(delivery.get());
        List<MedicalIndexEntry> index = new java.util.ArrayList<>(InterHospitalDevice.index(store));
        index.add(new MedicalIndexEntry(r.hospitalId(), r.diagnosisId()));
        InterHospitalDevice.saveIndex(store, index);
        out.println("Record " + r.diagnosisId() + " from " + r.hospitalId() + " verified (Sig_H, Cert_H); added to the medical index.");
        if (o.containsKey("out")) {
            Files.write(Path.of(o.get("out")), r.emr());
        } else {
            out.println(new String(r.emr(), StandardCharsets.UTF_8));
        }
        return 0;
    }

    private int index(DeviceStore store) throws IOException, ProtocolException {
        for (MedicalIndexEntry e : InterHospitalDevice.index(store)) {
            out.println(e.hospitalId() + "\t" + e.diagnosisId());
        }
        return 0;
    }

    private Environment env() {
        return Environment.of(curve, Clock.systemUTC(), random);
    }
}
