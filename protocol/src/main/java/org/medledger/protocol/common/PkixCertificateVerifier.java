package org.medledger.protocol.common;

import java.io.ByteArrayInputStream;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * "Verify {@code Cert_D} is legal" (PROTOCOLS.md §0) with the JDK's PKIX validator: path to
 * the medical-authority trust anchor (through the given intermediates), validity at the
 * injected clock, key usage {@code digitalSignature}, extended key usage {@code clientAuth},
 * an optional role predicate, the claimed identity, and revocation of every certificate
 * in the path through a pluggable {@link CertificateStatusSource} (fail closed).
 */
public final class PkixCertificateVerifier implements CertificateVerifier {

    /** id-kp-clientAuth. */
    public static final String EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final TrustAnchor anchor;
    private final List<X509Certificate> intermediates;
    private final CertificateStatusSource status;
    private final Clock clock;
    private final Function<X509Certificate, String> identityOf;
    private final Predicate<X509Certificate> roleCheck;

    /**
     * @param identityOf extracts the identity the certificate speaks for (default: subject CN)
     * @param roleCheck  e.g. "carries the doctor role"; {@code c -> true} if not needed
     */
    public PkixCertificateVerifier(X509Certificate trustAnchor, List<X509Certificate> intermediates,
                                   CertificateStatusSource status, Clock clock,
                                   Function<X509Certificate, String> identityOf, Predicate<X509Certificate> roleCheck) {
        this.anchor = new TrustAnchor(Objects.requireNonNull(trustAnchor, "Trust anchor is required."), null);
        this.intermediates = List.copyOf(Objects.requireNonNull(intermediates, "Intermediates are required (may be empty)."));
        this.status = Objects.requireNonNull(status, "Status source is required.");
        this.clock = Objects.requireNonNull(clock, "Clock is required.");
        this.identityOf = Objects.requireNonNull(identityOf, "Identity extractor is required.");
        this.roleCheck = Objects.requireNonNull(roleCheck, "Role check is required.");
    }

    /** Anchor only, identity = subject CN, no role check. */
    public static PkixCertificateVerifier of(X509Certificate trustAnchor, CertificateStatusSource status, Clock clock) {
        return new PkixCertificateVerifier(trustAnchor, List.of(), status, clock, PkixCertificateVerifier::subjectCommonName, c -> true);
    }

    @Override
    public void requireLegal(byte[] certificateDer, String claimedIdentity) throws ProtocolException {
        X509Certificate cert = parse(certificateDer);
        validatePath(cert);
        requireUsage(cert);
        if (!roleCheck.test(cert)) {
            throw new ProtocolException(Reason.CERT_INVALID, "certificate lacks the required role");
        }
        String id = identityOf.apply(cert);
        if (id == null || !id.equals(claimedIdentity)) {
            throw new ProtocolException(Reason.CERT_IDENTITY_MISMATCH, "certificate is for another identity");
        }
        requireNotRevoked(cert);
    }

    /** Parses a DER certificate ({@link Reason#CERT_INVALID} if it is not one). */
    public static X509Certificate parse(byte[] der) throws ProtocolException {
        if (der == null || der.length == 0) {
            throw new ProtocolException(Reason.CERT_INVALID, "certificate missing");
        }
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            Collection<? extends java.security.cert.Certificate> all = f.generateCertificates(new ByteArrayInputStream(der));
            if (all.size() != 1) {
                throw new ProtocolException(Reason.CERT_INVALID, "expected exactly one certificate");
            }
            X509Certificate c = (X509Certificate) all.iterator().next();
            if (!java.util.Arrays.equals(c.getEncoded(), der)) {
                throw new ProtocolException(Reason.CERT_INVALID, "certificate is not canonical DER");
            }
            return c;
        } catch (CertificateException | RuntimeException e) {
            throw new ProtocolException(Reason.CERT_INVALID, "certificate does not parse");
        }
    }

    private void validatePath(X509Certificate cert) throws ProtocolException {
        try {
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(cert);
            chain.addAll(intermediates);
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(chain);
            PKIXParameters params = new PKIXParameters(Set.of(anchor));
            params.setRevocationEnabled(false); // revocation comes from our status source below
            params.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX").validate(path, params);
        } catch (CertPathValidatorException e) {
            throw new ProtocolException(Reason.CERT_INVALID, "certificate path does not validate");
        } catch (Exception e) {
            throw new ProtocolException(Reason.CERT_INVALID, "certificate path cannot be checked");
        }
    }

    private static void requireUsage(X509Certificate cert) throws ProtocolException {
        boolean[] ku = cert.getKeyUsage();
        if (ku == null || ku.length == 0 || !ku[0]) {
            throw new ProtocolException(Reason.CERT_INVALID, "key usage digitalSignature missing");
        }
        List<String> eku;
        try {
            eku = cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new ProtocolException(Reason.CERT_INVALID, "extended key usage unreadable");
        }
        if (eku == null || !eku.contains(EKU_CLIENT_AUTH)) {
            throw new ProtocolException(Reason.CERT_INVALID, "extended key usage clientAuth missing");
        }
    }

    private void requireNotRevoked(X509Certificate cert) throws ProtocolException {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        chain.addAll(intermediates);
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : anchor.getTrustedCert();
            CertificateStatusSource.Status s;
            try {
                s = status.status(chain.get(i), issuer);
            } catch (RuntimeException e) {
                s = CertificateStatusSource.Status.UNKNOWN;
            }
            if (s == CertificateStatusSource.Status.REVOKED) {
                throw new ProtocolException(Reason.CERT_REVOKED, "certificate revoked");
            }
            if (s != CertificateStatusSource.Status.GOOD) {
                throw new ProtocolException(Reason.CERT_STATUS_UNKNOWN, "revocation status unknown");
            }
        }
    }

    /** The subject's CN, or {@code null}. */
    public static String subjectCommonName(X509Certificate cert) {
        try {
            LdapName name = new LdapName(cert.getSubjectX500Principal().getName());
            for (Rdn rdn : name.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
