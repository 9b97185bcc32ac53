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
}
