package org.medledger.client.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.medledger.client.ApiProblem;
import org.medledger.client.abe.AbeChainClient;
import org.medledger.client.emrauth.DeviceParty;
import org.medledger.client.emrauth.DeviceStore;
import org.medledger.protocol.abe.AttributeKey;
import org.medledger.protocol.abe.AuthorizationLetter;
import org.medledger.protocol.abe.CombinedScheme;
import org.medledger.protocol.abe.IdentityKey;
import org.medledger.protocol.abe.Patient;
import org.medledger.protocol.abe.PublicParameters;
import org.medledger.protocol.abe.RecordDescriptor;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.KemKeyPair;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.pairing.PairingGroups;

/**
 * The ABE-CHAIN commands ({@code medledger abe ...}): keys from the KGC opened and checked on the
 * device and kept in its PKCS#12 store, the patient's authorization letter signed on the device
 * (IBS) with its own ledger transaction, the hospital administrator's upload, the medical cloud's
 * listing, and the insurer's claim: download, check both signatures, decrypt.
 */
final class AbeCommands {

    static final String COMMAND = "abe";
    static final Set<String> SUBCOMMANDS = Set.of("key", "authorize", "store", "records", "claim");
    static final String PP = "abe-public-parameters";
    static final String IDENTITY_KEY = "abe-identity-key";
    static final String ATTRIBUTE_KEY = "abe-attribute-key";

    static final String USAGE = """
            ABE-CHAIN (seed 003) on this device — the insurance claim:
              medledger abe key       --user NAME --role patient|insurer|researcher
                                      the KGC's key for the login (patient: IBE/IBS key sealed to its certified
                                      KEM key; insurer/researcher: attribute key from its Keycloak roles)
              medledger abe authorize --user PATIENT --hospital ID --record-id ID --policy "insurer AND claims"
                                      [--summary TEXT] [--days N]   signs the authorization letter (IBS) and its ledger entry
              medledger abe store     --user HOSPITAL-ADMIN --hospital ID --letter LETTER-ID --record FHIR.json
                                      the hospital seals the record under the letter's policy; endorsed; on the ledger
              medledger abe records   --user NAME [--patient ID]    the endorsed records in the medical cloud
              medledger abe claim     --user INSURER --descriptor ID [--out FILE]
                                      downloads the record, checks both signatures, decrypts with the attribute key
            options: --api URL  --keycloak URL  --realm NAME  --store FILE  --password-env VAR (as above)
            """;

    static final Set<String> OPTIONS = Set.of("api", "keycloak", "realm", "store", "password-env", "user", "role", "hospital",
            "record-id", "policy", "summary", "days", "letter", "record", "patient", "descriptor", "out");

    private final PrintStream out;
    private final PrintStream err;
    private final Terminal term;
    private final CurveProfile curve = CurveProfile.p256();
    private final SecureRandom random = new SecureRandom();

    AbeCommands(PrintStream out, PrintStream err, Function<String, String> env) {
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
            err.println(e.getMessage());
            err.print(USAGE);
            return 1;
        }
        DeviceStore store = null;
        try {
            AbeChainClient api = new AbeChainClient(term.http, Terminal.api(o), PairingGroups.configured());
            if (!sub.equals("store") && !sub.equals("records")) {
                store = term.deviceStore(o);
            }
            return switch (sub) {
                case "key" -> key(o, api, store);
                case "authorize" -> authorize(o, api, store);
                case "store" -> store(o, api);
                case "records" -> records(o, api);
                default -> claim(o, api, store);
            };
        } catch (Exception e) {
            return term.failed(e, USAGE);
        } finally {
            if (store != null) {
                store.destroy();
            }
        }
    }

    private int key(Map<String, String> o, AbeChainClient api, DeviceStore store)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Terminal.require(o, "role");
        String id = o.get("user");
        String token = term.passwordToken(o);
        PublicParameters pp = api.publicParameters(token);
        store.put(PP, pp.toBytes());
        switch (o.get("role")) {
            case "patient" -> {
                // Sealed to the KEM key this device had certified at its EMR-AUTH registration.
                IdentityKey k = api.identityKey(token, id, DeviceParty.keys(store, curve).kem(), pp);
                putSecret(store, IDENTITY_KEY, k.toBytes());
                out.println("IBE/IBS key for " + k.identity() + " received, checked against PP and kept in " + store.file());
            }
            case "insurer", "researcher" -> {
                KemKeyPair kem = KemKeyPair.generate(curve, random);
                try {
                    AttributeKey k = api.attributeKey(token, id, kem, pp);
                    putSecret(store, ATTRIBUTE_KEY, k.toBytes());
                    out.println("Attribute key for " + k.attributes() + " received, checked against PP and kept in " + store.file());
                } finally {
                    kem.destroy();
                }
            }
            default -> throw new IllegalArgumentException("--role must be patient, insurer or researcher");
        }
        return 0;
    }

    private int authorize(Map<String, String> o, AbeChainClient api, DeviceStore store)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Terminal.require(o, "hospital", "record-id", "policy");
        String id = o.get("user");
        PublicParameters pp = pinned(store, api);
        IdentityKey k = IdentityKey.decode(pp, reveal(store.require(IDENTITY_KEY)));
        Patient patient = new Patient(k, new CombinedScheme(pp, random), Clock.systemUTC());
        RecordDescriptor d = new RecordDescriptor(o.get("record-id"), id, o.get("hospital"), o.getOrDefault("summary", ""));
        // σ_P = Sign(SK_P, descriptor ‖ policy ‖ validity)  (seed 003, Fig. 3 step 1)
        AuthorizationLetter letter = patient.authorize(d, o.get("policy"),
                Duration.ofDays(Long.parseLong(o.getOrDefault("days", "30"))));
        byte[] tx = AbeChainClient.letterTransaction(DeviceParty.ledgerKey(store), id, letter);
        AbeChainClient.Admitted a = api.submitLetter(term.passwordToken(o), letter.toBytes(), tx);
        out.println("Authorization letter " + a.letterId() + " (policy " + letter.policy().canonical() + ") on the ledger at index "
                + a.logIndex());
        return 0;
    }

    private int store(Map<String, String> o, AbeChainClient api) throws IOException, InterruptedException, ApiProblem {
        Terminal.require(o, "hospital", "letter", "record");
        AbeChainClient.Stored s = api.storeRecord(term.passwordToken(o), o.get("hospital"), o.get("letter"),
                Files.readAllBytes(Path.of(o.get("record"))));
        out.println("Record endorsed: descriptor " + s.descriptorId() + " at " + s.address() + " (ledger indexes "
                + s.descriptorLogIndex() + ", " + s.addressLogIndex() + ")");
        return 0;
    }

    private int records(Map<String, String> o, AbeChainClient api) throws IOException, InterruptedException, ApiProblem {
        for (AbeChainClient.Listed l : api.records(term.passwordToken(o), o.get("patient"))) {
            out.println(l.descriptorId() + "  " + l.patientId() + "  " + l.hospitalId() + "  " + l.recordId() + "  policy: "
                    + l.policy() + "  ledger " + l.descriptorLogIndex() + "  " + l.summary());
        }
        return 0;
    }

    private int claim(Map<String, String> o, AbeChainClient api, DeviceStore store)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Terminal.require(o, "descriptor");
        PublicParameters pp = pinned(store, api);
        AttributeKey k = AttributeKey.decode(pp, reveal(store.require(ATTRIBUTE_KEY)));
        // σ_P and σ_H checked, policy = authorized policy (as an endorsing node), then decrypted here
        AbeChainClient.Released r = api.release(term.passwordToken(o), o.get("descriptor"), pp);
        byte[] record = AbeChainClient.open(k, pp, r.record());
        out.println("Record " + r.record().descriptor().recordId() + " of " + r.record().descriptor().patientId()
                + ": letter and hospital signatures verified, decrypted with " + k.attributes() + "; access entry at ledger index "
                + r.logIndex());
        if (o.containsKey("out")) {
            Files.write(Path.of(o.get("out")), record);
            out.println("Written to " + o.get("out"));
        } else {
            out.println(new String(record, StandardCharsets.UTF_8));
        }
        return 0;
    }

    /** The PP this device received with its key (decoded and checked again here). */
    private PublicParameters pinned(DeviceStore store, AbeChainClient api) throws IOException, ProtocolException {
        byte[] b = reveal(store.require(PP));
        return PublicParameters.decode(api.group(), b);
    }

    private static void putSecret(DeviceStore store, String name, byte[] value) throws IOException {
        try {
            store.put(name, value);
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    private static byte[] reveal(SecretBytes s) {
        try {
            return s.reveal();
        } finally {
            s.destroy();
        }
    }
}
