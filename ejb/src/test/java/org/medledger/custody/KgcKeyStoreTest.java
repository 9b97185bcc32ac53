package org.medledger.custody;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.MasterSecret;

/**
 * The KGC's keys are unlocked once and kept while their store file is unchanged; a changed file
 * (a restore, a rotation) is picked up; a wrong password fails closed with KGC_KEY_UNAVAILABLE.
 * How often the store password is asked for stands for how often a store is opened.
 */
public class KgcKeyStoreTest {

    @TempDir
    Path dir;

    final AtomicInteger opened = new AtomicInteger();
    final AtomicReference<String> password = new AtomicReference<>("kgc-pw");

    @BeforeEach
    void configure() {
        System.setProperty(KgcKeyStore.pathProperty(KgcKeyStore.MASTER_ALIAS), dir.resolve("master.p12").toString());
        System.setProperty(KgcKeyStore.pathProperty(KgcKeyStore.KGC_LEDGER_ALIAS), dir.resolve("ledger.p12").toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty(KgcKeyStore.pathProperty(KgcKeyStore.MASTER_ALIAS));
        System.clearProperty(KgcKeyStore.pathProperty(KgcKeyStore.KGC_LEDGER_ALIAS));
    }

    KgcKeyStore store() {
        return new KgcKeyStore(alias -> {
            opened.incrementAndGet();
            return password.get().toCharArray();
        });
    }

    /** Writes a PKCS#12 file as configure-kgc-keystore.cli would: one EC key pair with a self-signed certificate. */
    public static KeyPair writeStore(Path file, String alias, String storePassword) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair k = g.generateKeyPair();
        X500Principal name = new X500Principal("CN=MedLedger KGC test");
        Instant now = Instant.now();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(86_400)), name, k.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(alias, k.getPrivate(), storePassword.toCharArray(), new Certificate[] {cert});
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, storePassword.toCharArray());
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return k;
    }

    @Test
    void theMasterSecretIsUnlockedOnceAndEachCallerGetsItsOwnCopy() throws Exception {
        writeStore(dir.resolve("master.p12"), KgcKeyStore.MASTER_ALIAS, "kgc-pw");
        KgcKeyStore kgc = store();
        MasterPublicKey pk = kgc.publicKey();
        MasterSecret first = kgc.masterSecret();
        assertEquals(pk, first.publicKey());
        int afterFirst = opened.get();
        first.destroy();
        for (int i = 0; i < 5; i++) {
            MasterSecret again = kgc.masterSecret();
            assertFalse(again.isDestroyed(), "a caller destroying its copy leaves the kept secret whole");
            assertEquals(pk, again.publicKey());
            assertEquals(pk.point(), again.publicKey().point());
            again.destroy();
        }
        assertEquals(pk, kgc.publicKey());
        assertEquals(afterFirst, opened.get(), "the store file is not opened again while it is unchanged");
        assertFalse(kgc.toString().contains("kgc-pw"));
    }

    @Test
    void aChangedStoreFileIsPickedUp() throws Exception {
        Path file = dir.resolve("master.p12");
        writeStore(file, KgcKeyStore.MASTER_ALIAS, "kgc-pw");
        KgcKeyStore kgc = store();
        MasterPublicKey before = kgc.publicKey();
        kgc.masterSecret().destroy();

        writeStore(file, KgcKeyStore.MASTER_ALIAS, "kgc-pw"); // a restore or a new key under the same alias
        int opens = opened.get();
        MasterSecret s = kgc.masterSecret();
        assertTrue(opened.get() > opens, "the changed file is opened again");
        MasterPublicKey after = kgc.publicKey();
        assertNotEquals(before, after, "the new file's key is served");
        assertEquals(after, s.publicKey(), "the master secret is the new file's");
        s.destroy();
    }

    @Test
    void aWrongPasswordFailsClosedEvenAfterTheKeyWasKept() throws Exception {
        Path file = dir.resolve("master.p12");
        writeStore(file, KgcKeyStore.MASTER_ALIAS, "kgc-pw");
        password.set("not-the-password");
        DomainException e = assertThrows(DomainException.class, () -> store().masterSecret());
        assertEquals("KGC_KEY_UNAVAILABLE", e.code());
        assertFalse(e.getMessage().contains("not-the-password"));
        assertFalse(e.getMessage().contains("kgc-master"), "no internal name in the answer");

        password.set("kgc-pw");
        KgcKeyStore kgc = store();
        kgc.masterSecret().destroy();
        // the store is replaced by one under another password: what was kept is dropped, not served
        writeStore(file, KgcKeyStore.MASTER_ALIAS, "changed-pw");
        assertEquals("KGC_KEY_UNAVAILABLE", assertThrows(DomainException.class, kgc::masterSecret).code());
        assertEquals("KGC_KEY_UNAVAILABLE", assertThrows(DomainException.class, kgc::publicKey).code());
    }

    @Test
    void aLedgerKeyIsKeptAndSignsLikeTheStoredOne() throws Exception {
        KeyPair stored = writeStore(dir.resolve("ledger.p12"), KgcKeyStore.KGC_LEDGER_ALIAS, "kgc-pw");
        KgcKeyStore kgc = store();
        ECPrivateKey k = kgc.privateKey(KgcKeyStore.KGC_LEDGER_ALIAS);
        int afterFirst = opened.get();
        assertEquals(((ECPrivateKey) stored.getPrivate()).getS(), k.getS());
        ECPrivateKey again = kgc.privateKey(KgcKeyStore.KGC_LEDGER_ALIAS);
        assertEquals(afterFirst, opened.get(), "the ledger key is not unlocked again");
        Signature sig = Signature.getInstance("SHA256withECDSA");
        sig.initSign(again);
        sig.update(new byte[] {1, 2, 3});
        byte[] signature = sig.sign();
        Signature check = Signature.getInstance("SHA256withECDSA");
        check.initVerify(kgc.certificate(KgcKeyStore.KGC_LEDGER_ALIAS).getPublicKey());
        check.update(new byte[] {1, 2, 3});
        assertTrue(check.verify(signature));
        assertArrayEquals(stored.getPublic().getEncoded(), kgc.certificate(KgcKeyStore.KGC_LEDGER_ALIAS).getPublicKey().getEncoded());
    }

    @Test
    void aMissingStoreIsUnavailable() {
        DomainException e = assertThrows(DomainException.class, () -> store().masterSecret());
        assertEquals("KGC_KEY_UNAVAILABLE", e.code());
    }

    @Test
    void aRotationAddsACurrentGenerationAndKeepsTheOlderOnesForVerification() throws Exception {
        writeStore(dir.resolve("master.p12"), KgcKeyStore.MASTER_ALIAS, "kgc-pw");
        KgcKeyStore kgc = store();
        MasterPublicKey first = kgc.publicKey();
        MasterSecret before = kgc.masterSecret();
        byte[] derivedBefore = before.deriveKey("MEDLEDGER/directory/certifier-key").reveal();
        byte[] abeSeedBefore = before.deriveKey(org.medledger.abe.AbeKgcService.SEED_LABEL).reveal();

        KgcKeyStore.MasterKey made = kgc.rotateMaster(new java.security.SecureRandom(), java.time.Duration.ofDays(30));
        assertEquals(2, made.generation());
        assertTrue(made.current());
        assertNotEquals(KgcKeyStore.keyId(first), made.keyId(), "a new key id");
        assertEquals(made.publicKey(), kgc.publicKey(), "the new generation issues from now on");
        java.util.List<KgcKeyStore.MasterKey> all = kgc.masterKeys();
        assertEquals(2, all.size());
        assertEquals(first, all.get(0).publicKey(), "the first generation stays published");
        assertFalse(all.get(0).current());
        assertEquals(first, kgc.publicKey(KgcKeyStore.keyId(first)).orElseThrow());

        MasterSecret after = kgc.masterSecret();
        assertEquals(made.publicKey(), after.publicKey(), "partial keys are issued under the new key");
        assertArrayEquals(derivedBefore, after.deriveKey("MEDLEDGER/directory/certifier-key").reveal(),
                "the keys the KGC derives for itself stay those of generation 1");
        assertArrayEquals(abeSeedBefore, after.deriveKey(org.medledger.abe.AbeKgcService.SEED_LABEL).reveal(),
                "ABE-CHAIN's KGC master (derived from generation 1) is not rotated with the partial-key master");
        assertFalse(java.util.Arrays.equals(abeSeedBefore, after.deriveKey("MEDLEDGER/ABE-CHAIN/KGC/another").reveal()),
                "the derivation depends on its label");
        after.destroy();
        before.destroy();

        // a restarted server reads the same generations from the store file
        KgcKeyStore restarted = store();
        assertEquals(made.publicKey(), restarted.publicKey());
        assertEquals(made.publicKey(), restarted.masterSecret().publicKey());
        KgcKeyStore.MasterKey third = restarted.rotateMaster(new java.security.SecureRandom(), java.time.Duration.ofDays(30));
        assertEquals(3, third.generation());
        // a rotation whose ledger entry failed is withdrawn; generation 1 never is
        restarted.withdrawMaster(third.keyId());
        restarted.withdrawMaster(KgcKeyStore.keyId(first));
        assertEquals(made.publicKey(), restarted.publicKey());
        assertEquals(2, kgc.masterKeys().size(), "the other bean sees the changed store file");
    }
}
