package org.medledger.protocol.testkit;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A tiny medical-authority PKI for tests: a CA, leaf certificates and CRLs (bcpkix). */
public final class TestPki {

    private final SecureRandom random;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private long serial = 100;

    public TestPki(String caName, long seed) {
        try {
            this.random = Fixtures.seededRandom(seed);
            this.caKeys = keyPair();
            Instant now = Fixtures.NOW;
            X500Name name = new X500Name("CN=" + caName);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                    Date.from(now.minus(Duration.ofDays(365))), Date.from(now.plus(Duration.ofDays(3650))), name, caKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            this.ca = new JcaX509CertificateConverter().getCertificate(b.build(signer()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public X509Certificate caCertificate() {
        return ca;
    }

    private KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private ContentSigner signer() throws Exception {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate());
    }

    /** A doctor certificate: CN = id, digitalSignature, clientAuth, valid around {@link Fixtures#NOW}. */
    public X509Certificate issue(String id) {
        return issue(id, Fixtures.NOW.minus(Duration.ofDays(1)), Fixtures.NOW.plus(Duration.ofDays(365)), true, true);
    }

    public X509Certificate issue(String id, Instant notBefore, Instant notAfter, boolean digitalSignature, boolean clientAuth) {
        try {
            KeyPair leaf = keyPair();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, BigInteger.valueOf(serial++),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + id + ",OU=doctor"), leaf.getPublic());
            b.addExtension(Extension.keyUsage, true, new KeyUsage(digitalSignature ? KeyUsage.digitalSignature : KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(clientAuth ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth));
            return new JcaX509CertificateConverter().getCertificate(b.build(signer()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CRL current at {@link Fixtures#NOW} revoking {@code revoked}. */
    public X509CRL crl(List<X509Certificate> revoked) {
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name(ca.getSubjectX500Principal().getName()),
                    Date.from(Fixtures.NOW.minus(Duration.ofHours(1))));
            b.setNextUpdate(Date.from(Fixtures.NOW.plus(Duration.ofDays(1))));
            for (X509Certificate c : revoked) {
                b.addCRLEntry(c.getSerialNumber(), Date.from(Fixtures.NOW.minus(Duration.ofMinutes(30))), CRLReason.keyCompromise);
            }
            return new JcaX509CRLConverter().getCRL(b.build(signer()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
