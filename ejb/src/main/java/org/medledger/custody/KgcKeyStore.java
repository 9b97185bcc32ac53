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
    /** {@code PK} by the certificate it was read from (decoded and validated once per certificate). */
    private final Map<X509Certificate, MasterPublicKey> publicKeys = new ConcurrentHashMap<>();

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

    /**
     * One generation of the master key pair: generation 1 under {@code kgc-master} (created by
     * configure-kgc-keystore.cli), each rotation adds {@code kgc-master-<n>}; the highest is current.
     */
    public record MasterKey(int generation, String alias, String keyId, MasterPublicKey publicKey, X509Certificate certificate,
                            boolean current) {
    }

    /** The generation of a master-store alias, or 0 if it is not one. */
    static int generation(String alias) {
        if (alias.equals(MASTER_ALIAS)) {
            return 1;
        }
        if (alias.startsWith(MASTER_ALIAS + "-")) {
            try {
                int n = Integer.parseInt(alias.substring(MASTER_ALIAS.length() + 1));
                return n >= 2 ? n : 0;
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    static String masterAlias(int generation) {
        return generation == 1 ? MASTER_ALIAS : MASTER_ALIAS + "-" + generation;
    }

    /** A short fingerprint of {@code PK}: the first 16 bytes of SHA-256 over its encoding, hex. */
    public static String keyId(MasterPublicKey pk) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(pk.encoded()))
                    .substring(0, 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** Every generation of the master key pair, oldest first; the last is current. Public parts only. */
    public java.util.List<MasterKey> masterKeys() throws DomainException {
        java.util.List<String> aliases;
        try {
            aliases = vault(MASTER_ALIAS).aliases();
        } catch (DomainException e) {
            throw rethrow(e);
        }
        int[] generations = aliases.stream().mapToInt(KgcKeyStore::generation).filter(g -> g > 0).sorted().toArray();
        if (generations.length == 0 || generations[0] != 1) {
            throw unavailable("the master key store has no " + MASTER_ALIAS + " entry");
        }
        java.util.List<MasterKey> out = new java.util.ArrayList<>();
        for (int i = 0; i < generations.length; i++) {
            String alias = masterAlias(generations[i]);
            X509Certificate c = certificate(alias);
            MasterPublicKey pk = publicKeyOf(c);
            out.add(new MasterKey(generations[i], alias, keyId(pk), pk, c, i == generations.length - 1));
        }
        return java.util.List.copyOf(out);
    }

    /** The current generation (the one that issues partial keys now). */
    public MasterKey currentMasterKey() throws DomainException {
        java.util.List<MasterKey> all = masterKeys();
        return all.get(all.size() - 1);
    }

    /** {@code PK = s·P} of the current generation: public, safe to hand out. */
    public MasterPublicKey publicKey() throws DomainException {
        return currentMasterKey().publicKey();
    }

    /** {@code PK} of the generation with {@code keyId}, if the KGC has one. */
    public java.util.Optional<MasterPublicKey> publicKey(String keyId) throws DomainException {
        return masterKeys().stream().filter(k -> k.keyId().equals(keyId)).map(MasterKey::publicKey).findFirst();
    }

    private MasterPublicKey publicKeyOf(X509Certificate c) throws DomainException {
        MasterPublicKey kept = publicKeys.get(c);
        if (kept != null) {
            return kept;
        }
        try {
            MasterPublicKey pk = MasterKeys.publicKeyFromJca(curve, (ECPublicKey) c.getPublicKey());
            if (publicKeys.size() > 64) {
                publicKeys.clear();
            }
            publicKeys.put(c, pk);
            return pk;
        } catch (ProtocolException | ClassCastException e) {
            throw unavailable("KGC public key is not a " + curve.name() + " key");
        }
    }

    /**
     * The master secret {@code s} of the current generation (a copy of the kept one); the caller
     * must {@code destroy()} it after use. After a rotation, the keys the KGC derives for itself
     * ({@link MasterSecret#deriveKey}) still come from generation 1, so the public cloud's and the
     * directory's keys stay what they were (docs/protocols/kgc-key-rotation.md).
     */
    public MasterSecret masterSecret() throws DomainException {
        MasterKey current = currentMasterKey();
        MasterSecret s = masterSecret(current.alias());
        if (current.generation() == 1) {
            return s;
        }
        MasterSecret root = masterSecret(MASTER_ALIAS);
        try {
            return s.withDerivationRoot(root);
        } finally {
            s.destroy();
            root.destroy();
        }
    }

    private MasterSecret masterSecret(String alias) throws DomainException {
        return kept(alias, MASTER_ALIAS, MasterSecret.class, entry -> {
            try {
                return MasterKeys.fromJca(curve, (ECPrivateKey) entry.getPrivateKey(),
                        (ECPublicKey) entry.getCertificate().getPublicKey());
            } catch (ProtocolException | ClassCastException e) {
                throw unavailable("KGC master key cannot be read");
            }
        }, MasterSecret::copy);
    }

    /**
     * Rotates the master key pair: the KGC generates generation {@code n+1} (P-256) here, stores it
     * with a self-signed certificate in the master key store and makes it current. Earlier
     * generations stay in the store (their {@code PK} verifies the partial keys they issued).
     * Returns the new generation.
     */
    public synchronized MasterKey rotateMaster(java.security.SecureRandom random, java.time.Duration validity) throws DomainException {
        MasterKey current = currentMasterKey();
        int next = current.generation() + 1;
        SecretScalar d = SecretScalar.random(curve, random);
        MasterSecret fresh = MasterSecret.of(d.copy());
        try {
            ECParameterSpec params = ((ECPublicKey) current.certificate().getPublicKey()).getParams();
            KeyFactory kf = KeyFactory.getInstance("EC");
            // the new secret leaves MasterSecret only as the JCA key the key store encrypts
            java.math.BigInteger sValue = d.reveal();
            ECPrivateKey priv = (ECPrivateKey) kf.generatePrivate(new ECPrivateKeySpec(sValue, params));
            org.bouncycastle.math.ec.ECPoint q = fresh.publicKey().point().normalize();
            ECPublicKey pub = (ECPublicKey) kf.generatePublic(new java.security.spec.ECPublicKeySpec(new java.security.spec.ECPoint(
                    q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), params));
            java.time.Instant now = java.time.Instant.now();
            javax.security.auth.x500.X500Principal name = new javax.security.auth.x500.X500Principal(
                    "CN=MedLedger KGC, OU=generation " + next);
            X509Certificate cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                    new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.valueOf(next),
                            java.util.Date.from(now.minusSeconds(60)), java.util.Date.from(now.plus(validity)), name, pub)
                            .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(priv)));
            vault(MASTER_ALIAS).putEntry(masterAlias(next), new KeyStore.PrivateKeyEntry(priv,
                    new java.security.cert.Certificate[] {cert}));
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException | ClassCastException e) {
            throw unavailable("a new master key cannot be stored (" + e.getClass().getSimpleName() + ")");
        } finally {
            fresh.destroy();
            d.destroy();
        }
        MasterKey made = currentMasterKey();
        if (made.generation() != next) {
            throw unavailable("the new master key is not current after it was stored");
        }
        return made;
    }

    /** Withdraws generation {@code keyId} again (a rotation whose ledger entry failed); never generation 1. */
    public synchronized void withdrawMaster(String keyId) throws DomainException {
        for (MasterKey k : masterKeys()) {
            if (k.keyId().equals(keyId) && k.generation() > 1) {
                try {
                    vault(MASTER_ALIAS).remove(k.alias());
                } catch (DomainException e) {
                    throw rethrow(e);
                }
            }
        }
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
            return vault(generation(alias) > 0 ? MASTER_ALIAS : alias).certificate(alias).orElseThrow(() -> unavailable("key store has no certificate " + alias));
        } catch (DomainException e) {
            throw rethrow(e);
        }
    }

    /** The vault's kept entry under {@code alias} (a private-key entry), as {@code type}. */
    private <T extends Destroyable> T kept(String alias, Class<T> type, PrivateUnlocker<T> unlock, UnaryOperator<T> copy)
            throws DomainException {
        return kept(alias, alias, type, unlock, copy);
    }

    /** The entry {@code alias} of the store named {@code store}. */
    private <T extends Destroyable> T kept(String alias, String store, Class<T> type, PrivateUnlocker<T> unlock,
                                           UnaryOperator<T> copy) throws DomainException {
        try {
            return vault(store).unlocked(alias, type, entry -> {
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
