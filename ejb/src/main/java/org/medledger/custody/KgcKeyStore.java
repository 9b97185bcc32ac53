package org.medledger.custody;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import javax.security.auth.Destroyable;

import org.medledger.platform.DomainException;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.MasterKeys;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretScalar;

/**
 * The KGC's keys, each in a PKCS#12 key store of its own that
 * {@code wildfly-config/configure-kgc-keystore.cli} creates: the master key pair ({@code kgc-master}),
 * the KGC's ledger signing key ({@code kgc-ledger}) and the block producer key
 * ({@code ledger-producer}). Each store is the {@link Pkcs12Vault} named after its alias: its file
 * is named by the system property {@code medledger.<alias>.keystore.path} (a path, not a secret),
 * its password is kept in the server's Elytron credential store under {@code <alias>-keystore}.
 * Reading one key never opens the others.
 *
 * <p>A key, once unlocked, is kept by its vault for the server's life (reloaded when its store
 * file changes, e.g. a restore or a rotation); each call hands out a copy the caller destroys, so
 * an EMR search no longer pays the key store's PBKDF2 runs. The master secret is kept as a
 * {@link MasterSecret} (constant-time arithmetic only), a ledger key as its secret scalar. Any
 * failure (no file, wrong password, a key that does not match its certificate) answers
 * {@code KGC_KEY_UNAVAILABLE} with no internal name; the reason goes to the server log.
 */
@ApplicationScoped
public class KgcKeyStore {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(KgcKeyStore.class.getName());

    /** The alias of the master key pair (its store is {@code medledger.kgc-master.keystore.path}). */
    public static final String MASTER_ALIAS = "kgc-master";

    /** The aliases of the ledger keys created by configure-kgc-keystore.cli. */
    public static final String KGC_LEDGER_ALIAS = "kgc-ledger";
    public static final String PRODUCER_ALIAS = "ledger-producer";

    private final PasswordSource passwords;
    private final Map<String, Pkcs12Vault> vaults = new ConcurrentHashMap<>();

    private final CurveProfile curve = CurveProfile.p256();
    /** {@code PK} of the certificate it was read from (a reload gives a new certificate object). */
    private volatile PublicKeyOf publicKey;

    private record PublicKeyOf(X509Certificate certificate, MasterPublicKey pk) {
    }

    public KgcKeyStore() {
        this(null);
    }

    /** With another password source (tests): its vaults are its own. */
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
        X509Certificate c = certificate(MASTER_ALIAS);
        PublicKeyOf kept = publicKey;
        if (kept != null && kept.certificate() == c) {
            return kept.pk();
        }
        try {
            MasterPublicKey pk = MasterKeys.publicKeyFromJca(curve, (ECPublicKey) c.getPublicKey());
            publicKey = new PublicKeyOf(c, pk);
            return pk;
        } catch (ProtocolException | ClassCastException e) {
            throw unavailable("KGC public key is not a " + curve.name() + " key");
        }
    }

    /** The master secret {@code s} (a copy of the kept one); the caller must {@code destroy()} it after use. */
    public MasterSecret masterSecret() throws DomainException {
        return kept(MASTER_ALIAS, MasterSecret.class, entry -> {
            try {
                return MasterKeys.fromJca(curve, (ECPrivateKey) entry.getPrivateKey(),
                        (ECPublicKey) entry.getCertificate().getPublicKey());
            } catch (ProtocolException | ClassCastException e) {
                throw unavailable("KGC master key cannot be read");
            }
        }, MasterSecret::copy);
    }

    /** The P-256 private key under {@code alias}; the caller keeps it no longer than it must. */
    public ECPrivateKey privateKey(String alias) throws DomainException {
        SecretScalar d = kept(alias, SecretScalar.class, entry -> {
            try {
                return SecretScalar.of(curve, ((ECPrivateKey) entry.getPrivateKey()).getS());
            } catch (ProtocolException | ClassCastException e) {
                throw unavailable("key store entry " + alias + " is not a " + curve.name() + " key");
            }
        }, SecretScalar::copy);
        try {
            ECParameterSpec params = ((ECPublicKey) certificate(alias).getPublicKey()).getParams();
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d.reveal(), params));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw unavailable("key store entry " + alias + " cannot be read");
        } finally {
            d.destroy();
        }
    }

    /** The self-signed certificate under {@code alias} (public key and validity of that key). */
    public X509Certificate certificate(String alias) throws DomainException {
        try {
            return vault(alias).certificate(alias).orElseThrow(() -> unavailable("key store has no certificate " + alias));
        } catch (DomainException e) {
            throw rethrow(e);
        }
    }

    /** The vault's kept entry under {@code alias} (a private-key entry), as {@code type}. */
    private <T extends Destroyable> T kept(String alias, Class<T> type, PrivateUnlocker<T> unlock, UnaryOperator<T> copy)
            throws DomainException {
        try {
            return vault(alias).unlocked(alias, type, entry -> {
                if (entry instanceof KeyStore.PrivateKeyEntry p && p.getCertificate() instanceof X509Certificate) {
                    return unlock.unlock(p);
                }
                throw unavailable("key store entry " + alias + " is not a private key with its certificate");
            }, copy).orElseThrow(() -> unavailable("key store entry " + alias + " is missing"));
        } catch (DomainException e) {
            throw rethrow(e);
        }
    }

    @FunctionalInterface
    private interface PrivateUnlocker<T> {
        T unlock(KeyStore.PrivateKeyEntry entry) throws DomainException;
    }

    private Pkcs12Vault vault(String alias) {
        return vaults.computeIfAbsent(alias, a -> passwords == null ? Pkcs12Vault.named(a) : Pkcs12Vault.named(a, passwords));
    }

    @PreDestroy
    void wipe() {
        vaults.values().forEach(Pkcs12Vault::forget);
    }

    /** A vault's failure (naming its store) becomes the KGC's; already the KGC's passes unchanged. */
    private static DomainException rethrow(DomainException e) {
        if ("KGC_KEY_UNAVAILABLE".equals(e.code())) {
            return e;
        }
        return unavailable(e.getMessage());
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

    @Override
    public String toString() {
        return "KgcKeyStore[redacted]";
    }
}
