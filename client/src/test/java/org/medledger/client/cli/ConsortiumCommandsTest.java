package org.medledger.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.consortium.Consortium;
import org.medledger.ledger.contract.ContractRegistry;
import org.medledger.ledger.crypto.P256SignatureScheme;

/** The authority's membership file from the nodes' key stores, as configure-kgc-keystore.cli makes them. */
class ConsortiumCommandsTest {

    @TempDir
    Path dir;

    private static final char[] PW = "store-pw".toCharArray();

    private static KeyStore.PrivateKeyEntry entry(String cn) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        long now = System.currentTimeMillis();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(new X500Name("CN=" + cn),
                BigInteger.ONE, new Date(now - 1000), new Date(now + 86_400_000L), new X500Name("CN=" + cn), kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        return new KeyStore.PrivateKeyEntry(kp.getPrivate(), new java.security.cert.Certificate[] {cert});
    }

    private Path store(String name, boolean withKgc) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, PW);
        ks.setEntry("ledger-producer", entry("producer " + name), new KeyStore.PasswordProtection(PW));
        if (withKgc) {
            ks.setEntry("kgc-ledger", entry("kgc"), new KeyStore.PasswordProtection(PW));
        }
        Path p = dir.resolve(name + ".p12");
        try (OutputStream out = Files.newOutputStream(p)) {
            ks.store(out, PW);
        }
        return p;
    }

    private int run(Map<String, String> env, String... args) {
        return new ConsortiumCommands(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()),
                env::get).run(args);
    }

    @Test
    void theMembershipNamesEachHospitalsOwnProducerKeyUnderTheKgc() throws Exception {
        Path a = store("hpa", true);
        Path b = store("hpb", false);
        Path c = store("hpc", false);
        Path out = dir.resolve("membership.b64");
        assertEquals(0, run(Map.of("MEDLEDGER_KEYSTORE_PASSWORD", "store-pw"), "consortium-membership", "--kgc-keystore", a.toString(),
                "--hospitals", "hpa=" + a + ",hpb=" + b + ",hpc=" + c, "--out", out.toString()));
        Consortium m = Consortium.decode(Base64.getMimeDecoder().decode(Files.readString(out, StandardCharsets.US_ASCII).trim()),
                ContractRegistry.of(), P256SignatureScheme.INSTANCE);
        assertEquals(java.util.List.of("hpa", "hpb", "hpc"), m.hospitals());
        assertEquals(2, m.quorum());
        KeyStore kb = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(b)) {
            kb.load(in, PW);
        }
        byte[] bKey = ConsortiumCommands.compressed((ECPublicKey) kb.getCertificate("ledger-producer").getPublicKey());
        assertTrue(java.util.Arrays.equals(bKey, m.certificates().get("hpb").publicKey().toArray()));
        // a quorum below a majority, a missing password or a store without the producer key is refused
        assertEquals(2, run(Map.of("MEDLEDGER_KEYSTORE_PASSWORD", "store-pw"), "consortium-membership", "--kgc-keystore", a.toString(),
                "--hospitals", "hpa=" + a + ",hpb=" + b + ",hpc=" + c, "--quorum", "1", "--out", out.toString()));
        assertEquals(1, run(Map.of(), "consortium-membership", "--kgc-keystore", a.toString(), "--hospitals", "hpa=" + a, "--out",
                out.toString()));
        assertEquals(1, run(Map.of("MEDLEDGER_KEYSTORE_PASSWORD", "store-pw"), "consortium-membership", "--hospitals", "hpa=" + a));
    }

    /** A server configuration directory as prepare-server.sh leaves it: each store under its own password from the credential store. */
    private Path server(String name, boolean authority) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        Map<String, String> passwords = new java.util.LinkedHashMap<>();
        passwords.put("ledger-producer-keystore", name + "-producer-pw");
        writeStore(d.resolve("medledger-ledger-producer.p12"), "ledger-producer", entry("producer " + name), passwords.get("ledger-producer-keystore"));
        if (authority) {
            passwords.put("kgc-ledger-keystore", name + "-kgc-pw");
            writeStore(d.resolve("medledger-kgc-ledger.p12"), "kgc-ledger", entry("kgc"), passwords.get("kgc-ledger-keystore"));
        }
        org.wildfly.security.credential.store.CredentialStore cs = org.wildfly.security.credential.store.CredentialStore.getInstance(
                "KeyStoreCredentialStore", new org.wildfly.security.credential.store.WildFlyElytronCredentialStoreProvider());
        cs.initialize(Map.of("location", d.resolve("medledger-credentials.cs").toString(), "keyStoreType", "JCEKS", "create", "true",
                        "modifiable", "true"),
                new org.wildfly.security.credential.store.CredentialStore.CredentialSourceProtectionParameter(
                        org.wildfly.security.auth.server.IdentityCredentials.NONE.withCredential(password("cs-pw"))),
                new java.security.Provider[] {org.wildfly.security.password.WildFlyElytronPasswordProvider.getInstance()});
        for (Map.Entry<String, String> e : passwords.entrySet()) {
            cs.store(e.getKey(), password(e.getValue()));
        }
        cs.flush();
        return d;
    }

    private static org.wildfly.security.credential.PasswordCredential password(String value) {
        return new org.wildfly.security.credential.PasswordCredential(org.wildfly.security.password.interfaces.ClearPassword.createRaw(
                org.wildfly.security.password.interfaces.ClearPassword.ALGORITHM_CLEAR, value.toCharArray()));
    }

    private static void writeStore(Path file, String alias, KeyStore.PrivateKeyEntry e, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, password.toCharArray());
        ks.setEntry(alias, e, new KeyStore.PasswordProtection(password.toCharArray()));
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
    }

    @Test
    void theAuthorityIssuesTheMembershipFromTheServersConfigurationDirectories() throws Exception {
        Path a = server("hpa", true);
        Path b = server("hpb", false);
        Path c = server("hpc", false);
        Path out = dir.resolve("membership.b64");
        String hospitals = "hpa=" + a + ",hpb=" + b + ",hpc=" + c;
        assertEquals(0, run(Map.of("MEDLEDGER_CREDENTIAL_STORE_PASSWORD", "cs-pw"), "consortium-membership", "--kgc-keystore", a.toString(),
                "--hospitals", hospitals, "--out", out.toString()));
        Consortium m = Consortium.decode(Base64.getMimeDecoder().decode(Files.readString(out, StandardCharsets.US_ASCII).trim()),
                ContractRegistry.of(), P256SignatureScheme.INSTANCE);
        assertEquals(java.util.List.of("hpa", "hpb", "hpc"), m.hospitals());
        KeyStore kc = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(c.resolve("medledger-ledger-producer.p12"))) {
            kc.load(in, "hpc-producer-pw".toCharArray());
        }
        assertTrue(java.util.Arrays.equals(ConsortiumCommands.compressed((ECPublicKey) kc.getCertificate("ledger-producer").getPublicKey()),
                m.certificates().get("hpc").publicKey().toArray()));
        KeyStore kgc = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(a.resolve("medledger-kgc-ledger.p12"))) {
            kgc.load(in, "hpa-kgc-pw".toCharArray());
        }
        assertTrue(java.util.Arrays.equals(ConsortiumCommands.compressed((ECPublicKey) kgc.getCertificate("kgc-ledger").getPublicKey()),
                m.anchors().kgcPublicKey().toArray()));
        // a wrong or missing credential-store password, or a KGC directory without the KGC's ledger key, is refused
        assertEquals(2, run(Map.of("MEDLEDGER_CREDENTIAL_STORE_PASSWORD", "not-it"), "consortium-membership", "--kgc-keystore",
                a.toString(), "--hospitals", hospitals, "--out", out.toString()));
        assertEquals(1, run(Map.of(), "consortium-membership", "--kgc-keystore", a.toString(), "--hospitals", hospitals, "--out",
                out.toString()));
        assertTrue(run(Map.of("MEDLEDGER_CREDENTIAL_STORE_PASSWORD", "cs-pw"), "consortium-membership", "--kgc-keystore", b.toString(),
                "--hospitals", hospitals, "--out", out.toString()) != 0);
    }
}
