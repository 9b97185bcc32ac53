package org.medledger.it;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.wildfly.security.auth.server.IdentityCredentials;
import org.wildfly.security.credential.PasswordCredential;
import org.wildfly.security.credential.store.CredentialStore;
import org.wildfly.security.credential.store.WildFlyElytronCredentialStoreProvider;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.ClearPassword;

/**
 * The test server's Elytron credential store, opened from its file with the password the test
 * run gave the server: what an operator holding that one password can read, and how the tests
 * learn the key stores' passwords without the server handing them out.
 */
final class ServerCredentialStore {

    /** Each server key store: file in the configuration directory → credential alias of its password. */
    static final Map<String, String> KEY_STORES = Map.of(
            "medledger-kgc-master.p12", "kgc-master-keystore",
            "medledger-kgc-ledger.p12", "kgc-ledger-keystore",
            "medledger-ledger-producer.p12", "ledger-producer-keystore",
            "medledger-hospital.p12", "hospital-keystore",
            "medledger-tls.p12", "tls-keystore");

    /** The key entry each KGC store holds. */
    static final Map<String, String> KGC_ENTRIES = Map.of(
            "medledger-kgc-master.p12", "kgc-master",
            "medledger-kgc-ledger.p12", "kgc-ledger",
            "medledger-ledger-producer.p12", "ledger-producer");

    private ServerCredentialStore() {
    }

    static Path configDir() {
        return Path.of(ItConfig.require("jboss.home"), "standalone/configuration");
    }

    static Path file() {
        return configDir().resolve("medledger-credentials.cs");
    }

    /** Every password alias of the store with its value. */
    static Map<String, char[]> passwords() throws Exception {
        return passwords(configDir());
    }

    /** Every password alias of the credential store in configuration directory {@code dir} (another test server's). */
    static Map<String, char[]> passwords(Path dir) throws Exception {
        CredentialStore store = CredentialStore.getInstance("KeyStoreCredentialStore",
                new WildFlyElytronCredentialStoreProvider());
        char[] master = ItConfig.require("medledger.it.secret.credential-store.password").toCharArray();
        store.initialize(Map.of("location", dir.resolve("medledger-credentials.cs").toString(), "keyStoreType", "JCEKS", "create", "false", "modifiable", "false"),
                new CredentialStore.CredentialSourceProtectionParameter(IdentityCredentials.NONE.withCredential(
                        new PasswordCredential(ClearPassword.createRaw(ClearPassword.ALGORITHM_CLEAR, master)))),
                new Provider[] {WildFlyElytronPasswordProvider.getInstance()});
        Map<String, char[]> out = new LinkedHashMap<>();
        for (String alias : store.getAliases()) {
            PasswordCredential c = store.retrieve(alias, PasswordCredential.class);
            if (c != null) {
                out.put(alias, c.getPassword().castAndApply(ClearPassword.class, ClearPassword::getPassword));
            }
        }
        return out;
    }

    /** Opens the server key store {@code file} with {@code password}. */
    static KeyStore open(String file, char[] password) throws Exception {
        return open(configDir(), file, password);
    }

    /** Opens key store {@code file} of configuration directory {@code dir} with {@code password}. */
    static KeyStore open(Path dir, String file, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            ks.load(in, password);
        }
        return ks;
    }

    static List<String> kgcStores() {
        return List.copyOf(KGC_ENTRIES.keySet());
    }
}
