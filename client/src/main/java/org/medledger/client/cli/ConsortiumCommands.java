package org.medledger.client.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.medledger.consortium.Consortium;
import org.medledger.consortium.MembershipFile;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.protocol.common.CurveProfile;

/**
 * {@code medledger consortium-membership}: the designated authority issues the consortium's
 * membership file from its KGC key store (the KGC's ledger key signs) and each hospital's
 * producer public key (the {@code ledger-producer} certificate of that hospital's KGC key store;
 * only its public key and validity are read).
 */
final class ConsortiumCommands {

    static final Set<String> COMMANDS = Set.of("consortium-membership");

    static final String USAGE = """
            The consortium (docs/consortium.md), run by the designated authority:
              medledger consortium-membership --kgc-keystore FILE.p12|DIR --hospitals ID=FILE.p12|DIR,ID=FILE.p12|DIR,...
                                              [--quorum N] --out FILE
                                    the membership file every node is configured with (MEDLEDGER_CONSORTIUM_MEMBERSHIP);
                                    a FILE.p12 is opened with MEDLEDGER_KEYSTORE_PASSWORD; a DIR is a WildFly server's
                                    configuration directory: its key stores (medledger-kgc-ledger.p12,
                                    medledger-ledger-producer.p12) are opened with their passwords from its credential
                                    store (medledger-credentials.cs), itself opened with MEDLEDGER_CREDENTIAL_STORE_PASSWORD
            """;

    static final Set<String> OPTIONS = Set.of("kgc-keystore", "hospitals", "quorum", "out");
    static final String KGC_ID = "kgc";
    static final String KGC_LEDGER_ALIAS = "kgc-ledger";
    static final String PRODUCER_ALIAS = "ledger-producer";

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> env;

    ConsortiumCommands(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    int run(String[] args) {
        Map<String, String> o;
        try {
            o = Terminal.options(args, 1, OPTIONS);
            Terminal.require(o, "kgc-keystore", "hospitals", "out");
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 1;
        }
        try {
            Opened kgcStore = open(Path.of(o.get("kgc-keystore")), ServerKeyStores.KGC_LEDGER);
            if (kgcStore == null) {
                return 1;
            }
            ECPrivateKey kgcKey = (ECPrivateKey) kgcStore.store().getKey(KGC_LEDGER_ALIAS, kgcStore.password());
            if (kgcKey == null) {
                throw new IllegalArgumentException("no " + KGC_LEDGER_ALIAS + " key in " + o.get("kgc-keystore"));
            }
            Signer kgc = P256SignatureScheme.fromPrivateKey(kgcKey);
            List<MembershipFile.Producer> producers = new ArrayList<>();
            for (String entry : o.get("hospitals").split(",")) {
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--hospitals takes ID=FILE.p12,... or ID=DIR,...");
                }
                Opened producerStore = open(Path.of(entry.substring(eq + 1)), ServerKeyStores.LEDGER_PRODUCER);
                if (producerStore == null) {
                    return 1;
                }
                X509Certificate cert = (X509Certificate) producerStore.store().getCertificate(PRODUCER_ALIAS);
                if (cert == null) {
                    throw new IllegalArgumentException("no " + PRODUCER_ALIAS + " certificate in " + entry.substring(eq + 1));
                }
                producers.add(new MembershipFile.Producer(entry.substring(0, eq), compressed((ECPublicKey) cert.getPublicKey()),
                        cert.getNotBefore().getTime(), cert.getNotAfter().getTime()));
            }
            int quorum = Integer.parseInt(o.getOrDefault("quorum", Integer.toString(Consortium.majority(producers.size()))));
            Consortium c = MembershipFile.issue(kgc, KGC_ID, producers, quorum, P256SignatureScheme.INSTANCE);
            Files.writeString(Path.of(o.get("out")), MembershipFile.encode(c));
            out.println("Consortium of " + c.hospitals() + ", quorum " + c.quorum() + ", log " + c.logId() + " written to " + o.get("out"));
            return 0;
        } catch (IllegalArgumentException | ClassCastException e) {
            err.println("Refused: " + e.getMessage());
            return 2;
        } catch (IOException | GeneralSecurityException e) {
            err.println("I/O error: " + e.getMessage());
            return 4;
        }
    }

    private record Opened(KeyStore store, char[] password) {
    }

    /**
     * A key store file opened with MEDLEDGER_KEYSTORE_PASSWORD, or a server configuration directory's
     * store {@code which} opened with its password from the directory's credential store; null (with
     * the reason printed) when the password it needs is not in the environment.
     */
    private Opened open(Path path, ServerKeyStores.Store which) throws IOException, GeneralSecurityException {
        if (Files.isDirectory(path)) {
            String pw = env.apply("MEDLEDGER_CREDENTIAL_STORE_PASSWORD");
            if (pw == null) {
                err.println("MEDLEDGER_CREDENTIAL_STORE_PASSWORD is required to open " + path.resolve(ServerKeyStores.CREDENTIAL_STORE));
                return null;
            }
            char[] password = ServerKeyStores.password(path, pw.toCharArray(), which);
            return new Opened(load(path.resolve(which.file()), password), password);
        }
        String pw = env.apply("MEDLEDGER_KEYSTORE_PASSWORD");
        if (pw == null) {
            err.println("MEDLEDGER_KEYSTORE_PASSWORD is required");
            return null;
        }
        return new Opened(load(path, pw.toCharArray()), pw.toCharArray());
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        return ks;
    }

    static byte[] compressed(ECPublicKey k) {
        CurveProfile curve = CurveProfile.p256();
        return curve.encodePoint(curve.curve().createPoint(k.getW().getAffineX(), k.getW().getAffineY()));
    }
}
