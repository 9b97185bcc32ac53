package org.medledger.client.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jakarta.json.JsonObject;

import org.medledger.client.ApiProblem;
import org.medledger.client.MedLedgerClient;
import org.medledger.client.emrauth.DeviceStore;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.client.interhospital.InterHospitalClient;
import org.medledger.client.interhospital.InterHospitalDevice;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.interhospital.Patient;

/**
 * {@code medledger renew} for the parties whose partial keys are not on an EMR-AUTH device: an
 * INTER-HOSPITAL patient's device ({@code ih-patient}), and a hospital administrator renewing the
 * INTER-HOSPITAL hospital ({@code ih-hospital}) or the EMR-AUTH hospital cloud ({@code hospital-cloud})
 * whose keys the server's hospital key store holds (docs/protocols/kgc-key-rotation.md). EMR-AUTH
 * patients and doctors renew through {@link EmrAuthCommands}.
 */
final class RenewCommands {

    static final String COMMAND = "renew";
    static final Set<String> ROLES = Set.of("ih-patient", "ih-hospital", "hospital-cloud");

    static final String USAGE = """
            After a KGC master key rotation (partial keys under the current key id; proof by the one held):
              medledger renew --role ih-patient --user PATIENT          INTER-HOSPITAL patient on this device (eq. 5 checked here)
              medledger renew --role ih-hospital --hospital ID --user ADMIN     INTER-HOSPITAL hospital served by the server
              medledger renew --role hospital-cloud --hospital ID --user ADMIN  EMR-AUTH hospital private cloud
            options: --api URL  --keycloak URL  --realm NAME  --store FILE  --password-env VAR (default MEDLEDGER_PASSWORD)
            """;

    static final Set<String> OPTIONS = Set.of("api", "keycloak", "realm", "store", "password-env", "user", "role", "hospital");

    private final PrintStream out;
    private final Terminal term;
    private final CurveProfile curve = CurveProfile.p256();

    RenewCommands(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.term = new Terminal(out, err, env);
    }

    /** Whether {@code args} is a {@code renew} for one of {@link #ROLES}. */
    static boolean handles(String[] args) {
        if (args.length == 0 || !COMMAND.equals(args[0])) {
            return false;
        }
        for (int i = 1; i + 1 < args.length; i++) {
            if ("--role".equals(args[i])) {
                return ROLES.contains(args[i + 1]);
            }
        }
        return false;
    }

    int run(String[] args) {
        Map<String, String> o;
        try {
            o = Terminal.options(args, 1, OPTIONS);
            Terminal.require(o, "user", "role");
        } catch (IllegalArgumentException e) {
            return term.failed(e, USAGE);
        }
        try {
            return switch (o.get("role")) {
                case "ih-patient" -> interHospitalPatient(o);
                case "ih-hospital" -> interHospitalHospital(o);
                default -> hospitalCloud(o);
            };
        } catch (Exception e) {
            return term.failed(e, USAGE);
        }
    }

    private int interHospitalPatient(Map<String, String> o) throws IOException, InterruptedException, ApiProblem, ProtocolException {
        String id = o.get("user");
        DeviceStore store = term.deviceStore(o);
        try {
            if (!InterHospitalDevice.registered(store)) {
                throw new IllegalArgumentException("this device holds no INTER-HOSPITAL registration: " + store.file());
            }
            String token = term.passwordToken(o);
            InterHospitalClient ih = new InterHospitalClient(term.http, Terminal.api(o), curve);
            InterHospitalDevice.Pinned pinned = InterHospitalDevice.pinned(store, curve);
            MasterPublicKey pk = new MedLedgerClient(term.http, Terminal.api(o)).kgcPublicKey(curve);
            InterHospitalClient.Renewal r = ih.renewPatient(token, id, InterHospitalDevice.grant(store, curve), pinned.pk());
            if (!r.kgcPublicKey().equals(pk)) {
                throw new ProtocolException(Reason.BAD_PARAMETER, "the KGC answered with another PK than the current one fetched");
            }
            Patient p = new Patient(Environment.of(curve, Clock.systemUTC(), new SecureRandom()),
                    new TrustContext(pk, pinned.certifierKey(), ih.directory(token), (c, i) -> { }),
                    InterHospitalDevice.keys(store, curve), id, ih.ledgerChecks(token));
            // S_PAT·P == R_PAT + H1(ID_PAT, R_PAT)·PK under the current PK; the entry certifies our own keys  (seed 002, eq. 5)
            p.acceptRegistration(r.grant());
            InterHospitalDevice.saveRenewed(store, r.grant(), pk, pinned.certifierKey(), curve);
            out.println("Renewed INTER-HOSPITAL patient " + id + " under KGC key id " + r.kgcKeyId() + " (was " + r.previousKeyId()
                    + "), ledger entry " + r.logIndex() + "; S_PAT·P == R_PAT + H1(ID_PAT, R_PAT)·PK holds under the current PK (eq. 5).");
            return 0;
        } finally {
            store.destroy();
        }
    }

    private int interHospitalHospital(Map<String, String> o) throws IOException, InterruptedException, ApiProblem {
        Terminal.require(o, "hospital");
        JsonObject r = new InterHospitalClient(term.http, Terminal.api(o), curve).renewHospital(term.passwordToken(o), o.get("hospital"));
        return printed("INTER-HOSPITAL hospital", r);
    }

    private int hospitalCloud(Map<String, String> o) throws IOException, InterruptedException, ApiProblem {
        Terminal.require(o, "hospital");
        JsonObject r = new EmrAuthClient(term.http, Terminal.api(o), curve).renewHospitalCloud(term.passwordToken(o), o.get("hospital"));
        return printed("EMR-AUTH hospital cloud", r);
    }

    private int printed(String what, JsonObject r) {
        out.println("Renewed " + what + " " + r.getString("hospitalId") + " under KGC key id " + r.getString("kgcKeyId") + " (was "
                + r.getString("previousKeyId") + "), ledger entry " + r.getJsonNumber("logIndex").longValue()
                + "; its keys stay in the server's hospital key store.");
        return 0;
    }
}
