package org.medledger.client.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Map;

import org.wildfly.security.auth.server.IdentityCredentials;
import org.wildfly.security.credential.PasswordCredential;
import org.wildfly.security.credential.store.CredentialStore;
import org.wildfly.security.credential.store.CredentialStoreException;
import org.wildfly.security.credential.store.WildFlyElytronCredentialStoreProvider;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.ClearPassword;

/**
 * A MedLedger server's key stores as {@code wildfly-config/configure-kgc-keystore.cli} leaves them in
 * its configuration directory, each protected by its own password kept in the server's Elytron
 * credential store ({@code configure-credential-store.cli}): what the operator holding that store's
 * password can open on the server's machine.
 */
final class ServerKeyStores {

    static final String CREDENTIAL_STORE = "medledger-credentials.cs";

    /** One server key store: its file and the credential-store alias of its password. */
    record Store(String file, String alias) {
    }

    static final Store KGC_LEDGER = new Store("medledger-kgc-ledger.p12", "kgc-ledger-keystore");
    static final Store LEDGER_PRODUCER = new Store("medledger-ledger-producer.p12", "ledger-producer-keystore");

    private ServerKeyStores() {
    }

    /** The password of {@code store} from the credential store of configuration directory {@code dir}. */
    static char[] password(Path dir, char[] credentialStorePassword, Store store) throws IOException, GeneralSecurityException {
        Path file = dir.resolve(CREDENTIAL_STORE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no credential store " + file);
        }
        try {
            CredentialStore cs = CredentialStore.getInstance("KeyStoreCredentialStore", new WildFlyElytronCredentialStoreProvider());
            cs.initialize(Map.of("location", file.toString(), "keyStoreType", "JCEKS", "create", "false", "modifiable", "false"),
                    new CredentialStore.CredentialSourceProtectionParameter(IdentityCredentials.NONE.withCredential(
                            new PasswordCredential(ClearPassword.createRaw(ClearPassword.ALGORITHM_CLEAR, credentialStorePassword)))),
                    new Provider[] {WildFlyElytronPasswordProvider.getInstance()});
            PasswordCredential c = cs.retrieve(store.alias(), PasswordCredential.class);
            char[] password = c == null ? null : c.getPassword().castAndApply(ClearPassword.class, ClearPassword::getPassword);
            if (password == null) {
                throw new IllegalArgumentException("the credential store " + file + " has no password for " + store.file());
            }
            return password;
        } catch (CredentialStoreException e) {
            // a wrong store password lands here; the store's own message names no secret
            throw new IllegalArgumentException("the credential store " + file + " does not open with MEDLEDGER_CREDENTIAL_STORE_PASSWORD");
        }
    }
}
