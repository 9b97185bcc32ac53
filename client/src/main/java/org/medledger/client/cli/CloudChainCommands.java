package org.medledger.client.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.medledger.client.ApiProblem;
import org.medledger.client.AuditFailure;
import org.medledger.client.MedLedgerClient;
import org.medledger.client.cloudchain.CloudChainAudit;
import org.medledger.client.cloudchain.CloudChainClient;
import org.medledger.client.cloudchain.SmartcardDevice;
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
    private final Terminal term;
    private final CurveProfile curve = CurveProfile.p256();
    private final SecureRandom random = new SecureRandom();

    CloudChainCommands(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.term = new Terminal(out, err, env);
    }

    /** {@code args} without the leading {@code cloud-chain}. */
    int run(String[] args) {
        if (args.length == 0 || !COMMANDS.contains(args[0])) {
            err.print(USAGE);
            return 1;
        }
        Map<String, String> o;
        try {
            o = Terminal.options(args, 1, OPTIONS);
            Terminal.require(o, "user");
            switch (args[0]) {
                case "register-center" -> Terminal.require(o, "center");
                case "contract" -> Terminal.require(o, "center");
                case "store-ehr" -> Terminal.require(o, "center", "patient", "record");
                case "request-ehr" -> Terminal.require(o, "center", "patient");
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
        } catch (Exception e) {
            return term.failed(e, USAGE);
        }
    }

    private int registerCenter(Map<String, String> o) throws IOException, InterruptedException, ApiProblem, ProtocolException {
        CloudChainClient.CenterRegistration r = api(o).registerCenter(term.passwordToken(o), o.get("center"));
        out.println("Medical center " + r.centerId() + " registered: PID_j " + r.pid() + " (ledger index " + r.ledgerLogIndex() + ")");
        return 0;
    }

    private int registerCard(Map<String, String> o) throws IOException, InterruptedException, ApiProblem, ProtocolException {
        String token = term.passwordToken(o);
        MedLedgerClient kgc = new MedLedgerClient(term.http, Terminal.api(o));
        EmrAuthClient trust = new EmrAuthClient(term.http, Terminal.api(o), curve);
        DeviceStore store = term.deviceStore(o);
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
        String token = term.passwordToken(o);
        DeviceStore store = term.deviceStore(o);
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
        long t = api(o).storeEhr(term.passwordToken(o), o.get("center"), o.get("patient"), record);
        out.println("EHR stored at the cloud server (T_up " + t + ")");
        return 0;
    }

    private int requestEhr(Map<String, String> o) throws IOException, InterruptedException, ApiProblem {
        CloudChainClient.Retrieved r = api(o).requestEhr(term.passwordToken(o), o.get("center"), o.get("patient"));
        if (o.containsKey("out")) {
            Files.writeString(Path.of(o.get("out")), r.record(), StandardCharsets.UTF_8);
            out.println("EHR written to " + o.get("out"));
        } else {
            out.println(r.record());
        }
        out.println("Stored by " + r.storedBy() + "; this access is on the ledger at index " + r.ledgerLogIndex());
        return 0;
    }

    private int audit(Map<String, String> o) throws IOException, InterruptedException, ApiProblem, AuditFailure {
        DeviceStore store = term.deviceStore(o);
        try {
            String hid = new SmartcardDevice(api(o), store, curve, random).hid();
            CloudChainAudit.Verified v = CloudChainAudit.verify(api(o).ledger(term.passwordToken(o), hid, 0), hid, null, 0, null);
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
        return new CloudChainClient(term.http, Terminal.api(o), curve);
    }

    private SecretBytes cardPassword() throws IOException {
        char[] pw = term.secret("MEDLEDGER_CARD_PASSWORD", "Card password: ");
        byte[] b = new String(pw).getBytes(StandardCharsets.UTF_8);
        Arrays.fill(pw, '\0');
        try {
            return SecretBytes.copyOf(b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }
}
