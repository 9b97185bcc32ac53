package org.medledger.custody;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.MasterKeys;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.platform.DomainException;

/**
 * The KGC's keys, each in a PKCS#12 key store of its own that
 * {@code wildfly-config/configure-kgc-keystore.cli} creates: the master key pair ({@code kgc-master}),
 * the KGC's ledger signing key ({@code kgc-ledger}) and the block producer key
 * ({@code ledger-producer}). Each store has its own password, kept in the server's Elytron
 * credential store under {@code <alias>-keystore} ({@link CredentialStorePasswords}); the file of
 * store {@code <alias>} is named by the system property {@code medledger.<alias>.keystore.path}
 * (a path, not a secret). Reading one key never opens the others. The master secret and the private
 * keys are loaded for each use and never cached in a field: callers destroy them when done. The
 * public parts (PK, the entries' certificates) are read once and kept for the application's life
 * (they are asked for on every public-key request and page); a changed key store takes effect
 * at the next deployment.
 */
@ApplicationScoped
public class KgcKeyStore {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(KgcKeyStore.class.getName());

    /** The alias of the master key pair (its store is {@code medledger.kgc-master.keystore.path}). */
    public static final String MASTER_ALIAS = "kgc-master";

    private final PasswordSource passwords;

    private final CurveProfile curve = CurveProfile.p256();
    private volatile MasterPublicKey publicKey;
    private final java.util.concurrent.ConcurrentHashMap<String, X509Certificate> certificates = new java.util.concurrent.ConcurrentHashMap<>();

    public KgcKeyStore() {
        this(CredentialStorePasswords.INSTANCE);
    }

    /** With another password source (tests). */
    public KgcKeyStore(PasswordSource passwords) {
        this.passwords = passwords;
    }

    /** The system property naming the file of the key store that holds {@code alias}. */
    public static String pathProperty(String alias) {
        return "medledger." + alias + ".keystore.path";
    }

    /** The credential-store alias of the password of the key store that holds {@code alias}. */
    public static String credentialAlias(String alias) {
        return alias + "-keystore";
    }

    public CurveProfile curve() {
        return curve;
    }

    /** {@code PK = s·P}: public, safe to hand out. */
    public MasterPublicKey publicKey() throws DomainException {
        MasterPublicKey pk = publicKey;
        if (pk != null) {
            return pk;
        }
        try {
            pk = MasterKeys.publicKeyFromJca(curve, (ECPublicKey) certificate(MASTER_ALIAS).getPublicKey());
            publicKey = pk;
            return pk;
        } catch (ProtocolException | ClassCastException e) {
            throw unavailable("KGC public key is not a " + curve.name() + " key");
        }
    }

    /** The master secret {@code s}; the caller must {@code destroy()} it after use. */
    public MasterSecret masterSecret() throws DomainException {
        KeyStore ks = load(MASTER_ALIAS);
        try {
            return MasterKeys.fromJca(curve, ecPrivateKey(ks, MASTER_ALIAS), (ECPublicKey) x509(ks, MASTER_ALIAS).getPublicKey());
        } catch (ProtocolException | ClassCastException e) {
            throw unavailable("KGC master key cannot be read");
        }
    }

    /** The aliases of the ledger keys created by configure-kgc-keystore.cli. */
    public static final String KGC_LEDGER_ALIAS = "kgc-ledger";
    public static final String PRODUCER_ALIAS = "ledger-producer";

    /** The P-256 private key under {@code alias}; the caller keeps it no longer than it must. */
    public ECPrivateKey privateKey(String alias) throws DomainException {
        return ecPrivateKey(load(alias), alias);
    }

    /** The self-signed certificate under {@code alias} (public key and validity of that key). */
    public X509Certificate certificate(String alias) throws DomainException {
        X509Certificate c = certificates.get(alias);
        if (c == null) {
            c = x509(load(alias), alias);
            certificates.put(alias, c);
        }
        return c;
    }

    private ECPrivateKey ecPrivateKey(KeyStore ks, String alias) throws DomainException {
        char[] password = password(alias);
        try {
            if (ks.getKey(alias, password) instanceof ECPrivateKey ec) {
                return ec;
            }
            throw unavailable("key store entry " + alias + " is missing or not an EC key");
        } catch (GeneralSecurityException e) {
            throw unavailable("key store entry " + alias + " cannot be read");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static X509Certificate x509(KeyStore ks, String alias) throws DomainException {
        try {
            if (ks.getCertificate(alias) instanceof X509Certificate x) {
                return x;
            }
            throw unavailable("key store has no certificate " + alias);
        } catch (GeneralSecurityException e) {
            throw unavailable("key store cannot be read");
        }
    }

    private KeyStore load(String alias) throws DomainException {
        String path = System.getProperty(pathProperty(alias));
        if (path == null || path.isBlank()) {
            throw unavailable("key store of " + alias + " is not configured (" + pathProperty(alias) + ")");
        }
        char[] password = password(alias);
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw unavailable("key store of " + alias + " cannot be opened");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private char[] password(String alias) throws DomainException {
        try {
            return passwords.password(credentialAlias(alias));
        } catch (DomainException e) {
            throw unavailable("the password of the key store of " + alias + " is unavailable");
        }
    }

    /**
     * The reason (which may name settings, aliases or files) goes to the server log; the answer
     * says only that the KGC's keys are unavailable.
     */
    private static DomainException unavailable(String reason) {
        LOG.warning(() -> "KGC key store: " + reason);
        return new DomainException(DomainException.Kind.UNAVAILABLE, "KGC_KEY_UNAVAILABLE",
                "the KGC's keys are unavailable; the operators have been told in the server log");
    }
}
