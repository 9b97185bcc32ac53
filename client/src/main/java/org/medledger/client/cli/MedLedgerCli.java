package org.medledger.client.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import org.medledger.client.ApiProblem;
import org.medledger.client.DeviceSecrets;
import org.medledger.client.MedLedgerClient;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.emrauth.PatientDevice;

/**
 * {@code medledger} command-line client. Exit codes: 0 success, 1 usage, 2 refused by the
 * server, the login or the medical authority, 3 a protocol check failed on the device, 4 I/O.
 */
public final class MedLedgerCli {

    static final String USAGE = """
            usage: medledger register-patient --user NAME [options]
                   medledger ca <command> --dir DIR [options]   (the medical authority; see below)
              Logs in to Keycloak (password grant), asks the KGC for (R_P1, S_P) and checks
              S_P·P == R_P1 + H(ID_P‖B_P‖R_P1)·PK on the device (seed 000, eq. 4).
            options:
              --keycloak URL        Keycloak base URL            (default https://127.0.0.1:18443)
              --realm NAME          realm                         (default medledger)
              --client-id ID        public client for the device  (default medledger-cli)
              --api URL             MedLedger API base URL        (default https://127.0.0.1:8443/api)
              --user NAME           login name
              --password-env VAR    read the password from environment variable VAR
                                    (default: MEDLEDGER_PASSWORD, else prompt)
              --patient-id ID       identity to register          (default: the login name)
              --device-secret FILE  device-bound secret B_P       (default ~/.medledger/<patient-id>.bp,
                                    created on first use)
              --kgc-public-key B64  pin PK instead of fetching it from the API
            environment (every command):
              MEDLEDGER_CA_CERT=FILE.pem   trust exactly this authority for HTTPS (the installation's TLS
                                           authority, e.g. bin/run's .medledger/pki/tls-authority.pem)
            """;

    static final Set<String> REGISTER_PATIENT_OPTIONS = Set.of("keycloak", "realm", "client-id", "api", "user", "password-env",
            "patient-id", "device-secret", "kgc-public-key");

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> env;
    private final Clock clock;
    private final CountDownLatch stop;

    MedLedgerCli(PrintStream out, PrintStream err) {
        this(out, err, System::getenv, Clock.systemUTC(), new CountDownLatch(1));
    }

    /** @param stop released to end a long-running command ({@code ca ocsp-responder}) */
    MedLedgerCli(PrintStream out, PrintStream err, Function<String, String> env, Clock clock, CountDownLatch stop) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.clock = clock;
        this.stop = stop;
    }

    public static void main(String[] args) {
        try {
            org.medledger.client.InstallationTrust.installFromEnvironment(System.getenv(org.medledger.client.InstallationTrust.CA_CERT_ENV));
        } catch (java.io.IOException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs one command and returns its exit code instead of exiting. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        return new MedLedgerCli(out, err).run(args);
    }

    /** As {@link #execute(String[], PrintStream, PrintStream)} with the environment given (passwords), for embedding. */
    public static int execute(String[] args, PrintStream out, PrintStream err, Function<String, String> env) {
        return new MedLedgerCli(out, err, env, Clock.systemUTC(), new CountDownLatch(1)).run(args);
    }

    int run(String[] args) {
        if (args.length > 0 && "ca".equals(args[0])) {
            return new CaCommand(out, err, env, clock, new SecureRandom(), stop)
                    .run(Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length > 0 && GroupCommands.COMMAND.equals(args[0])) {
            return new GroupCommands(out, err, env).run(args);
        }
        if (args.length > 0 && AbeCommands.COMMAND.equals(args[0])) {
            return new AbeCommands(out, err, env).run(args);
        }
        if (args.length > 0 && CloudChainCommands.COMMAND.equals(args[0])) {
            return new CloudChainCommands(out, err, env).run(Arrays.copyOfRange(args, 1, args.length));
        }
        if (RenewCommands.handles(args)) {
            return new RenewCommands(out, err, env).run(args);
        }
        if (args.length > 0 && EmrAuthCommands.COMMANDS.contains(args[0])) {
            return new EmrAuthCommands(out, err, env).run(args);
        }
        if (args.length > 0 && ConsortiumCommands.COMMANDS.contains(args[0])) {
            return new ConsortiumCommands(out, err, env).run(args);
        }
        if (args.length > 0 && KeycloakRealmCommand.COMMAND.equals(args[0])) {
            return new KeycloakRealmCommand(out, err, env).run(args);
        }
        if (args.length > 0 && InterHospitalCommands.COMMANDS.contains(args[0])) {
            return new InterHospitalCommands(out, err, env).run(args);
        }
        if (args.length == 0 || !"register-patient".equals(args[0])) {
            err.print(USAGE);
            err.print(EmrAuthCommands.USAGE);
            err.print(GroupCommands.USAGE);
            err.print(AbeCommands.USAGE);
            err.print(CloudChainCommands.USAGE);
            err.print(InterHospitalCommands.USAGE);
            err.print(RenewCommands.USAGE);
            err.print(ConsortiumCommands.USAGE);
            err.print(CaCommand.USAGE);
            err.print(KeycloakRealmCommand.USAGE);
            return 1;
        }
        Terminal term = new Terminal(out, err, env);
        try {
            Map<String, String> opts = Terminal.options(args, 1, REGISTER_PATIENT_OPTIONS);
            Terminal.require(opts, "user");
            return registerPatient(opts, term);
        } catch (Exception e) {
            return term.failed(e, USAGE);
        }
    }

    private int registerPatient(Map<String, String> o, Terminal term)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        String user = o.get("user");
        String patientId = o.getOrDefault("patient-id", user);
        CurveProfile curve = CurveProfile.p256();
        SecureRandom random = new SecureRandom();
        MedLedgerClient api = new MedLedgerClient(term.http, Terminal.api(o));

        MasterPublicKey pinned = o.containsKey("kgc-public-key")
                ? MasterPublicKey.decode(curve, Base64.getDecoder().decode(o.get("kgc-public-key")))
                : api.kgcPublicKey(curve);
        Path secretFile = o.containsKey("device-secret") ? Path.of(o.get("device-secret"))
                : Path.of(System.getProperty("user.home"), ".medledger", patientId + ".bp");
        SecretBytes bP = DeviceSecrets.loadOrCreate(secretFile, random);
        try {
            String token = term.passwordToken(o);
            out.println("Logged in as " + user + "; registering " + patientId + " with the KGC...");
            MedLedgerClient.PatientRegistrationResult result = api.registerPatient(token, patientId, bP, curve);
            if (!result.kgcPublicKey().equals(pinned)) {
                throw new ProtocolException(org.medledger.protocol.common.Reason.BAD_PARAMETER,
                        "the KGC answered with a public key other than the one this device trusts");
            }
            PatientDevice device = new PatientDevice(Environment.of(curve, Clock.systemUTC(), random), pinned,
                    patientId, bP);
            device.acceptRegistration(result.response());
            out.println("Registration verified: S_P·P == R_P1 + H(ID_P‖B_P‖R_P1)·PK (seed 000, eq. 4)");
            out.println("  patient   " + patientId);
            out.println("  R_P1      " + Base64.getEncoder().encodeToString(result.response().encodedR()));
            out.println("  KGC key   " + result.kgcKeyId() + " (" + curve.name() + ")");
            return 0;
        } finally {
            bP.destroy();
        }
    }
}
