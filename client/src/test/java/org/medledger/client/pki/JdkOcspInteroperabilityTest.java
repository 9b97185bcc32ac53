package org.medledger.client.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CRLReason;
import java.security.cert.CertificateRevokedException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relying party that is not ours: the JDK's own PKIX validator with its built-in OCSP
 * client (as Java servers use it) follows the AIA URL to {@link OcspResponder} and accepts
 * its signed answers, good and revoked.
 */
class JdkOcspInteroperabilityTest {

    @TempDir
    Path dir;

    @Test
    void jdkPkixValidatorWithOcspAcceptsGoodAndRejectsRevokedCertificates() throws Exception {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        MedicalAuthority ca = MedicalAuthority.create(dir.resolve("ca"),
                AuthoritySettings.defaults().withOcspUrl(URI.create("http://127.0.0.1:" + port + "/")),
                PkiFixtures.PASSWORD, clock, random);
        X509Certificate good = ca.issueDoctor("D-1", MedicalAuthority.generateKeyPair(random).getPublic(), Duration.ofDays(1));
        X509Certificate revoked = ca.issueDoctor("D-2", MedicalAuthority.generateKeyPair(random).getPublic(), Duration.ofDays(1));
        ca.revoke(revoked.getSerialNumber(), RevocationReason.KEY_COMPROMISE, clock.instant());

        try (OcspResponder r = OcspResponder.start(ca, new InetSocketAddress("127.0.0.1", port), clock)) {
            validate(ca.certificate(), good);
            CertPathValidatorException e = assertThrows(CertPathValidatorException.class,
                    () -> validate(ca.certificate(), revoked));
            assertEquals(CertPathValidatorException.BasicReason.REVOKED, e.getReason());
            assertEquals(CRLReason.KEY_COMPROMISE, ((CertificateRevokedException) e.getCause()).getRevocationReason());
        }
    }

    private static void validate(X509Certificate anchor, X509Certificate leaf) throws Exception {
        CertPathValidator validator = CertPathValidator.getInstance("PKIX");
        PKIXRevocationChecker ocsp = (PKIXRevocationChecker) validator.getRevocationChecker();
        ocsp.setOptions(EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY, PKIXRevocationChecker.Option.NO_FALLBACK));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        params.addCertPathChecker(ocsp);
        CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf));
        validator.validate(path, params);
    }
}
