package org.medledger.client.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.medledger.client.ApiProblem;
import org.medledger.client.KeycloakLogin;
import org.medledger.client.MedLedgerClient;
import org.medledger.client.cloudchain.CloudChainAudit;
import org.medledger.client.cloudchain.CloudChainClient;
import org.medledger.client.cloudchain.SmartcardDevice;
import org.medledger.client.emrauth.AccessAudit;
import org.medledger.client.emrauth.DeviceStore;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;

/**
 * The CLOUD-CHAIN commands ({@code medledger cloud-chain <command>}): the network administrator
 * registers medical centers; the patient registers its smartcard, signs contracts with centers
 * and audits its card's ledger entries; a center's operator stores and requests EHRs. The card
 * lives in the patient's device PKCS#12 store; its password {@code PW_i} comes from
 * {@code MEDLEDGER_CARD_PASSWORD} or a prompt and is never stored.
 */
final class CloudChainCommands {

    static final String COMMAND = "cloud-chain";

    static final String USAGE = """
            CLOUD-CHAIN (seed 001):
              medledger cloud-chain register-center --user NETWORK_ADMIN --center ACCOUNT   prints PID_j
              medledger cloud-chain register-card   --user PATIENT        personalizes the smartcard on this device
              medledger cloud-chain contract        --user PATIENT --center PID   authenticates, Sc on the ledger
              medledger cloud-chain store-ehr       --user CENTER --center PID --patient HID --record FHIR.json
              medledger cloud-chain request-ehr     --user CENTER --center PID --patient HID [--out FILE]
              medledger cloud-chain audit           --user PATIENT        the card's ledger entries, proofs checked here
            options: --api URL  --keycloak URL  --realm NAME  --password-env VAR (login, default MEDLEDGER_PASSWORD)
                     --store FILE (~/.medledger/<user>.p12, password MEDLEDGER_DEVICE_PASSWORD or a prompt)
                     card password: MEDLEDGER_CARD_PASSWORD or a prompt
            """;

    static final Set<String> COMMANDS = Set.of("register-center", "register-card", "contract", "store-ehr", "request-ehr", "audit");
    static final Set<String> OPTIONS = Set.of("api", "keycloak", "realm", "password-env", "store", "user", "center", "patient",
            "record", "out");

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> env;
    private final CurveProfile curve = CurveProfile.p256();
    private final SecureRandom random = new SecureRandom();
    private final HttpClient http = HttpClient.newHttpClient();

    CloudChainCommands(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** {@code args} without the leading {@code cloud-chain}. */
    int run(String[] args) {
        if (args.length == 0 || !COMMANDS.contains(args[0])) {
            err.print(USAGE);
            return 1;
        }
        Map<String, String> o;
        try {
            o = options(args);
            require(o, "user");
            switch (args[0]) {
                case "register-center" -> require(o, "center");
                case "contract" -> require(o, "center");
                case "store-ehr" -> require(o, "center", "patient", "record");
                case "request-ehr" -> require(o, "center", "patient");
                default -> {
                }
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 1;
        }
        try {
            return switch (args[0]) {
                case "register-center" -> registerCenter(o);
                case "register-card" -> registerCard(o);
                case "contract" -> contract(o);
                case "store-ehr" -> storeEhr(o);
                case "request-ehr" -> requestEhr(o);
                default -> audit(o);
            };
        } catch (ApiProblem e) {
            err.println("Refused: " + e.getMessage());
            return 2;
        } catch (ProtocolException e) {
            err.println("REJECTED on the device: " + e.getMessage());
            return 3;
        } catch (AccessAudit.AuditFailure e) {
            err.println("Ledger check FAILED: " + e.getMessage());
            return 3;
        } catch (IOException e) {
            err.println("I/O error: " + e.getMessage());
            return 4;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 4;
        }
    }

    private int registerCenter(Map<String, String> o) throws IOException, InterruptedException, ApiProblem, ProtocolException {
        CloudChainClient.CenterRegistration r = api(o).registerCenter(token(o), o.get("center"));
        out.println("Medical center " + r.centerId() + " registered: PID_j " + r.pid() + " (ledger index " + r.ledgerLogIndex() + ")");
        return 0;
    }

    private int registerCard(Map<String, String> o) throws IOException, InterruptedException, ApiProblem, ProtocolException {
        String token = token(o);
        MedLedgerClient kgc = new MedLedgerClient(http, apiUri(o));
        EmrAuthClient trust = new EmrAuthClient(http, apiUri(o), curve);
        DeviceStore store = store(o);
        SecretBytes pw = cardPassword();
        try {
            String hid = new SmartcardDevice(api(o), store, curve, random).register(token, o.get("user"), pw, kgc.kgcPublicKey(curve),
                    trust.trust(token).certifierKey());
            out.println("Smartcard personalized in " + store.file() + "; HID_i " + hid + " (the card's key is on the ledger)");
            return 0;
        } finally {
            pw.destroy();
            store.destroy();
        }
    }

    private int contract(Map<String, String> o) throws IOException, InterruptedException, ApiProblem, ProtocolException {
        String token = token(o);
        DeviceStore store = store(o);
        SecretBytes pw = cardPassword();
        try {
            SmartcardDevice.Contracted c = new SmartcardDevice(api(o), store, curve, random).contractWith(token, o.get("center"), pw);
            out.println("Authenticated to " + c.pid() + "; contract Sc(HID_i, PID_j, Cert_j) at ledger index " + c.ledgerLogIndex());
            return 0;
        } finally {
            pw.destroy();
            store.destroy();
        }
    }

    private int storeEhr(Map<String, String> o) throws IOException, InterruptedException, ApiProblem {
        String record = Files.readString(Path.of(o.get("record")), StandardCharsets.UTF_8);
        long t = api(o).storeEhr(token(o), o.get("center"), o.get("patient"), record);
        out.println("EHR stored at the cloud server (T_up " + t + ")");
        return 0;
    }

    private int requestEhr(Map<String, String> o) throws IOException, InterruptedException, ApiProblem {
        CloudChainClient.Retrieved r = api(o).requestEhr(token(o), o.get("center"), o.get("patient"));
        if (o.containsKey("out")) {
            Files.writeString(Path.of(o.get("out")), r.record(), StandardCharsets.UTF_8);
            out.println("EHR written to " + o.get("out"));
        } else {
            out.println(r.record());
        }
        out.println("Stored by " + r.storedBy() + "; this access is on the ledger at index " + r.ledgerLogIndex());
        return 0;
    }

    private int audit(Map<String, String> o) throws IOException, InterruptedException, ApiProblem, AccessAudit.AuditFailure {
        DeviceStore store = store(o);
        try {
            String hid = new SmartcardDevice(api(o), store, curve, random).hid();
            CloudChainAudit.Verified v = CloudChainAudit.verify(api(o).ledger(token(o), hid, 0), hid, null, 0, null);
            out.println("Ledger entries of card " + hid + " (tree size " + v.treeSize() + ", every proof checked):");
            for (CloudChainAudit.Entry e : v.entries()) {
                out.println("  #" + e.logIndex() + "  " + e.function() + "  by " + e.submitter()
                        + (e.pid().isEmpty() ? "" : "  center " + e.pid()) + (e.tAccess() == 0 ? "" : "  at " + e.tAccess()));
            }
            return 0;
        } finally {
            store.destroy();
        }
    }

    // ---- helpers ----

    private CloudChainClient api(Map<String, String> o) {
        return new CloudChainClient(http, apiUri(o), curve);
    }

    private static URI apiUri(Map<String, String> o) {
        return URI.create(o.getOrDefault("api", MedLedgerCli.DEFAULT_API));
    }

    private String token(Map<String, String> o) throws IOException, InterruptedException, ApiProblem {
        char[] password = secret(o.getOrDefault("password-env", "MEDLEDGER_PASSWORD"), "Password: ");
        try {
            return new KeycloakLogin(http, URI.create(o.getOrDefault("keycloak", "http://127.0.0.1:18080")),
                    o.getOrDefault("realm", "medledger"), "medledger-cli").accessToken(o.get("user"), password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private DeviceStore store(Map<String, String> o) throws IOException {
        char[] password = secret("MEDLEDGER_DEVICE_PASSWORD", "Device store password: ");
        try {
            return DeviceStore.open(o.containsKey("store") ? Path.of(o.get("store"))
                    : Path.of(System.getProperty("user.home"), ".medledger", o.get("user") + ".p12"), password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private SecretBytes cardPassword() throws IOException {
        char[] pw = secret("MEDLEDGER_CARD_PASSWORD", "Card password: ");
        byte[] b = new String(pw).getBytes(StandardCharsets.UTF_8);
        Arrays.fill(pw, '\0');
        try {
            return SecretBytes.copyOf(b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    private char[] secret(String var, String prompt) throws IOException {
        String v = env.apply(var);
        if (v != null) {
            return v.toCharArray();
        }
        Console c = System.console();
        if (c == null) {
            throw new IOException("no password: set " + var + " or run in a terminal");
        }
        return c.readPassword(prompt);
    }

    static void require(Map<String, String> o, String... names) {
        for (String n : names) {
            if (!o.containsKey(n)) {
                throw new IllegalArgumentException("--" + n + " is required");
            }
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("bad option: " + a);
            }
            String key = a.substring(2);
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("unknown option: " + a);
            }
            m.put(key, args[++i]);
        }
        return m;
    }
}
