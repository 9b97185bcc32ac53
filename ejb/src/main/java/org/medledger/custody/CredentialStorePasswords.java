package org.medledger.custody;

import java.util.logging.Logger;

import org.medledger.platform.DomainException;
import org.wildfly.security.credential.PasswordCredential;
import org.wildfly.security.credential.store.CredentialStore;
import org.wildfly.security.password.interfaces.ClearPassword;

/**
 * Passwords from the server's Elytron credential store ({@code wildfly-config/configure-credential-store.cli}).
 * The Elytron subsystem opens the store with the one password WildFly keeps in its environment;
 * this class reads an alias through the store's runtime service (capability
 * {@code org.wildfly.security.credential-store}), so no key-store password is a system property,
 * an environment variable of the application or a line of standalone.xml.
 *
 * <p>The service registry is reached reflectively (modules {@code org.jboss.as.server} and
 * {@code org.jboss.msc}, see the EJB jar's manifest) so the application compiles against the
 * Elytron credential API only.
 */
public final class CredentialStorePasswords implements PasswordSource {

    private static final Logger LOG = Logger.getLogger(CredentialStorePasswords.class.getName());

    /** The credential store's resource name in the Elytron subsystem; default {@code medledger}. */
    public static final String STORE_PROPERTY = "medledger.credential-store";

    public static final CredentialStorePasswords INSTANCE = new CredentialStorePasswords();

    private CredentialStorePasswords() {
    }

    @Override
    public char[] password(String alias) throws DomainException {
        String name = System.getProperty(STORE_PROPERTY, "medledger");
        CredentialStore store = store(name);
        try {
            PasswordCredential credential = store.retrieve(alias, PasswordCredential.class);
            char[] password = credential == null ? null
                    : credential.getPassword().castAndApply(ClearPassword.class, ClearPassword::getPassword);
            if (password == null || password.length == 0) {
                throw unavailable("credential store " + name + " has no password under alias " + alias);
            }
            return password;
        } catch (org.wildfly.security.credential.store.CredentialStoreException e) {
            throw unavailable("credential store " + name + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static CredentialStore store(String name) throws DomainException {
        ClassLoader loader = CredentialStorePasswords.class.getClassLoader();
        try {
            Object registry = Class.forName("org.jboss.as.server.CurrentServiceContainer", true, loader)
                    .getMethod("getServiceContainer").invoke(null);
            Class<?> serviceName = Class.forName("org.jboss.msc.service.ServiceName", true, loader);
            Object service = serviceName.getMethod("parse", String.class)
                    .invoke(null, "org.wildfly.security.credential-store." + name);
            Object controller = Class.forName("org.jboss.msc.service.ServiceRegistry", true, loader)
                    .getMethod("getService", serviceName).invoke(registry, service);
            if (controller == null) {
                throw unavailable("no credential store " + name + " in the Elytron subsystem");
            }
            Object value = Class.forName("org.jboss.msc.service.ServiceController", true, loader)
                    .getMethod("getValue").invoke(controller);
            if (value instanceof CredentialStore store) {
                return store;
            }
            throw unavailable("credential store " + name + " is not available");
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw unavailable("credential store " + name + " cannot be reached (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The reason goes to the server log; callers answer with their own code and no internal names. */
    private static DomainException unavailable(String reason) {
        LOG.warning(() -> "server credentials: " + reason);
        return new DomainException(DomainException.Kind.UNAVAILABLE, "SERVER_CREDENTIAL_UNAVAILABLE",
                "a server credential is unavailable; the operators have been told in the server log");
    }

    @Override
    public String toString() {
        return "CredentialStorePasswords";
    }
}
