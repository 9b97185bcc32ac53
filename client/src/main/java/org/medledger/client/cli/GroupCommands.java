package org.medledger.client.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.medledger.client.ApiProblem;
import org.medledger.client.AuditFailure;
import org.medledger.client.CertificateLogin;
import org.medledger.client.emrauth.DeviceParty;
import org.medledger.client.emrauth.DeviceStore;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.client.group.CircleLedgerAudit;
import org.medledger.client.group.GroupClient;
import org.medledger.client.group.GroupDevice;
import org.medledger.client.group.GroupSecrets;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.VerificationKey;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.group.AggregatedRecord;
import org.medledger.protocol.group.Chebyshev;
import org.medledger.protocol.group.ChebyshevParameters;
import org.medledger.protocol.group.GroupSessionKey;

/**
 * The GROUP-AGG device commands ({@code medledger group ...}): a care circle member — the
 * patient, a doctor or a family member — registers its Chebyshev key, the patient opens its circle
 * and adds or removes members, every member takes part in the key run of each epoch, uploads and
 * reads the aggregated record. Secrets stay in the member's PKCS#12 device store.
 */
final class GroupCommands {

    static final String COMMAND = "group";

    static final String USAGE = """
            GROUP-AGG (seed 004) on this device:
              medledger group register --user NAME --role patient|doctor|family
                                   generates the Chebyshev key (patients and doctors: after `medledger register`)
              medledger group open     --user PATIENT --hospital ID --brief TEXT --record TEXT   opens the care circle; prints its id
              medledger group add      --user PATIENT --group ID --member ID   shows the member key's fingerprint, then adds it
              medledger group leave    --user NAME --group ID [--member ID]    leaves (or, the patient, removes a member)
              medledger group sync     --user NAME --group ID [--wait-seconds N]  takes part in the current epoch's key run
              medledger group upload   --user NAME --group ID --kind PHR|EMR|APHR --brief TEXT --record TEXT
              medledger group read     --user NAME --group ID      the latest aggregated record, every signature checked here
              medledger group history  --user NAME --group ID      the circle's ledger entries, each proof checked here
            options: as for EMR-AUTH (--api, --keycloak, --keycloak-https, --realm, --store, --password-env,
                     --certificate, --ca for doctors)
            """;

    static final Set<String> SUBCOMMANDS = Set.of("register", "open", "add", "leave", "sync", "upload", "read", "history");
    static final Set<String> OPTIONS = Set.of("api", "keycloak", "keycloak-https", "realm", "store", "password-env", "user", "role",
            "certificate", "ca", "hospital", "brief", "record", "group", "member", "kind", "wait-seconds", "out");
    static final String ROLE = "group-role";
    static final String CERTIFIER = "group-certifier-key";

    private final PrintStream out;
    private final PrintStream err;
    private final Terminal term;
    private final CurveProfile curve = CurveProfile.p256();
    private final Chebyshev t = new Chebyshev(ChebyshevParameters.modp2048());
    private final SecureRandom random = new SecureRandom();

    GroupCommands(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.term = new Terminal(out, err, env);
    }

    int run(String[] args) {
        if (args.length < 2 || !SUBCOMMANDS.contains(args[1])) {
            err.print(USAGE);
            return 1;
        }
        String sub = args[1];
        Map<String, String> o;
        try {
            o = Terminal.options(args, 2, OPTIONS);
            Terminal.require(o, "user");
        } catch (IllegalArgumentException e) {
            return term.failed(e, USAGE);
        }
        DeviceStore store = null;
        try {
            store = term.deviceStore(o);
            if (sub.equals("register")) {
                return register(o, store);
            }
            String role = role(store);
            Supplier<String> token = tokens(o, role);
            GroupDevice device = device(o, store, role, token);
            return switch (sub) {
                case "open" -> open(o, device, token);
                case "add" -> add(o, device, token);
                case "leave" -> leave(o, device, token);
                case "sync" -> sync(o, device, token);
                case "upload" -> upload(o, device, token);
                case "read" -> read(o, device, token);
                default -> history(o, token);
            };
        } catch (Exception e) {
            return term.failed(e, USAGE);
        } finally {
            if (store != null) {
                store.destroy();
            }
        }
    }

    private int register(Map<String, String> o, DeviceStore store) throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Terminal.require(o, "role");
        String role = o.get("role");
        if (!Set.of("patient", "doctor", "family").contains(role)) {
            throw new IllegalArgumentException("--role must be patient, doctor or family");
        }
        if (store.get(ROLE).isPresent()) {
            throw new IllegalArgumentException("this device already holds a GROUP-AGG member key for " + o.get("user"));
        }
        Supplier<String> token = tokens(o, role);
        VerificationKey certifier;
        if (role.equals("family")) {
            DeviceParty.newLedgerKey(store, curve, random);
            certifier = new EmrAuthClient(term.http, Terminal.api(o), curve).trust(token.get()).certifierKey();
        } else {
            certifier = DeviceParty.pinned(store, curve).certifierKey();
        }
        store.put(CERTIFIER, certifier.encoded());
        store.put(ROLE, role.getBytes(StandardCharsets.UTF_8));
        GroupDevice device = device(o, store, role, token);
        device.registerKey(token.get());
        out.println("Registered the GROUP-AGG member key of " + role + " " + o.get("user") + " (fingerprint "
                + GroupDevice.fingerprint(device.publicKey()) + "), signed with its ledger key; secrets kept in " + store.file());
        return 0;
    }

    private int open(Map<String, String> o, GroupDevice d, Supplier<String> token) throws IOException, InterruptedException, ApiProblem {
        Terminal.require(o, "hospital", "brief", "record");
        String gid = d.openCircle(token.get(), o.get("hospital"), utf8(o.get("brief")), record(o));
        out.println("Care circle " + gid + " opened at " + o.get("hospital") + " (epoch 1); its first PHR is on the ledger.");
        return 0;
    }

    private int add(Map<String, String> o, GroupDevice d, Supplier<String> token)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Terminal.require(o, "group", "member");
        byte[] key = d.memberKey(token.get(), o.get("member"));
        out.println("Member key of " + o.get("member") + ": fingerprint " + GroupDevice.fingerprint(key)
                + " (compare it with the member's own `group register` output)");
        GroupClient.Change c = d.add(token.get(), o.get("group"), o.get("member"), key);
        out.println(o.get("member") + " joined; circle at epoch " + c.epoch() + " (ledger index " + c.logIndex()
                + "). Every member now runs `medledger group sync`.");
        return 0;
    }

    private int leave(Map<String, String> o, GroupDevice d, Supplier<String> token)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Terminal.require(o, "group");
        String member = o.getOrDefault("member", o.get("user"));
        GroupClient.Change c = d.remove(token.get(), o.get("group"), member);
        out.println(member + " left; circle at epoch " + c.epoch() + " (ledger index " + c.logIndex() + ").");
        return 0;
    }

    private int sync(Map<String, String> o, GroupDevice d, Supplier<String> token)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Terminal.require(o, "group");
        out.println("Taking part in the key run; waiting for the other members...");
        GroupSessionKey gsk = d.agree(token, o.get("group"), Duration.ofSeconds(Long.parseLong(o.getOrDefault("wait-seconds", "300"))));
        out.println("Group key of epoch " + gsk.epoch() + " agreed with " + gsk.members() + " (pairwise MACs, X_1⊕…⊕X_n = 0 and "
                + "every confirmation checked); kept on this device.");
        return 0;
    }

    private int upload(Map<String, String> o, GroupDevice d, Supplier<String> token)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Terminal.require(o, "group", "kind", "brief", "record");
        String gid = o.get("group");
        GroupClient.StoredBlock b = switch (o.get("kind")) {
            case "PHR" -> d.uploadPhr(token.get(), gid, utf8(o.get("brief")), record(o));
            case "EMR" -> d.uploadEmr(token.get(), gid, utf8(o.get("brief")), record(o));
            case "APHR" -> d.aggregate(token.get(), gid, utf8(o.get("brief")), record(o));
            default -> throw new IllegalArgumentException("--kind must be PHR, EMR or APHR");
        };
        out.println(o.get("kind") + " accepted by the block transformation system: block " + b.block().number() + ", ledger index "
                + b.logIndex());
        return 0;
    }

    private int read(Map<String, String> o, GroupDevice d, Supplier<String> token)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Terminal.require(o, "group");
        AggregatedRecord r = d.read(token.get(), o.get("group"));
        out.println("Aggregated record " + new String(r.aphrBrief(), StandardCharsets.UTF_8) + " (EHR block " + r.ehr().number()
                + ", EMR block " + r.emr().number() + ", PHR block " + r.phr().number() + "; Sig_G, Sig_H, Sig_D, Sig_P checked):");
        byte[] si = r.sensitive().reveal();
        if (o.containsKey("out")) {
            Files.write(Path.of(o.get("out")), si);
            out.println("written to " + o.get("out"));
        } else {
            out.println(new String(si, StandardCharsets.UTF_8));
        }
        return 0;
    }

    private int history(Map<String, String> o, Supplier<String> token)
            throws IOException, InterruptedException, ApiProblem, ProtocolException, AuditFailure {
        Terminal.require(o, "group");
        GroupClient client = client(o);
        String gid = o.get("group");
        String owner = client.run(token.get(), gid).ownerId();
        out.println("Ledger entries of circle " + gid + " (each included under the producer-signed tree head):");
        for (CircleLedgerAudit.Entry e : CircleLedgerAudit.verify(client.ledger(token.get(), gid), gid, owner, null)) {
            out.printf("  #%d  %-11s by %s: %s%n", e.logIndex(), e.function(), e.submitter(), e.subject());
        }
        return 0;
    }

    // ---- the member's device ----

    private GroupDevice device(Map<String, String> o, DeviceStore store, String role, Supplier<String> token)
            throws IOException, ProtocolException {
        Signer ledgerKey;
        PartyKeys keys = null;
        if (role.equals("doctor")) {
            Terminal.require(o, "certificate");
            ledgerKey = P256SignatureScheme.fromPrivateKey(CertificateLogin.privateKey(Path.of(o.get("certificate")),
                    term.secret("MEDLEDGER_KEY_PASSWORD", "Certificate password: ")));
        } else {
            ledgerKey = DeviceParty.ledgerKey(store);
        }
        if (!role.equals("family")) {
            keys = DeviceParty.keys(store, curve);
        }
        SecretBytes c = store.require(CERTIFIER);
        VerificationKey certifier = VerificationKey.decode(curve, c.reveal());
        EmrAuthClient emr = new EmrAuthClient(term.http, Terminal.api(o), curve);
        GroupDevice.Directory directory = (dirRole, partyId) -> {
            DirectoryEntry e = emr.entry(token.get(), dirRole, partyId).orElseThrow(() -> new ProtocolException(
                    org.medledger.protocol.common.Reason.UNKNOWN_PARTY, "no certified keys for " + dirRole + " " + partyId));
            e.verify(certifier, EmrAuthRoles.SCHEME, dirRole, partyId, System.currentTimeMillis());
            return e;
        };
        return GroupDevice.open(o.get("user"), role, t, ledgerKey, keys, GroupSecrets.of(store), client(o), directory,
                Clock.systemUTC(), random);
    }

    private static String role(DeviceStore store) throws IOException {
        Optional<SecretBytes> r = store.get(ROLE);
        if (r.isEmpty()) {
            throw new IllegalArgumentException("run `medledger group register` on this device first");
        }
        return new String(r.get().reveal(), StandardCharsets.UTF_8);
    }

    private GroupClient client(Map<String, String> o) {
        return new GroupClient(term.http, Terminal.api(o), t);
    }

    private Supplier<String> tokens(Map<String, String> o, String role) throws IOException {
        String[] held = new String[1];
        long[] at = new long[1];
        return () -> {
            if (held[0] == null || System.nanoTime() - at[0] > 60_000_000_000L) {
                try {
                    held[0] = role.equals("doctor") ? term.doctorToken(o) : term.passwordToken(o);
                } catch (IOException | ApiProblem e) {
                    throw new IllegalStateException("login failed: " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted");
                }
                at[0] = System.nanoTime();
            }
            return held[0];
        };
    }

    private static byte[] record(Map<String, String> o) throws IOException {
        String r = o.get("record");
        Path p = Path.of(r);
        return Files.isRegularFile(p) ? Files.readAllBytes(p) : utf8(r);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
