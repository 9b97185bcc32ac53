package org.medledger.client.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The public half of an authority directory: the CA certificate ({@code ca.pem}) and the index
 * of issued certificates, read fresh on every call. Needs no password, so an OCSP responder
 * holding only a delegated key can answer from it.
 */
public final class AuthorityIndex {

    private final Path dir;
    private final X509Certificate caCertificate;

    private AuthorityIndex(Path dir, X509Certificate caCertificate) {
        this.dir = dir;
        this.caCertificate = caCertificate;
    }

    public static AuthorityIndex of(Path dir) throws IOException {
        Path d = dir.toAbsolutePath().normalize();
        List<X509Certificate> certs = AuthorityFiles.readCertificates(d.resolve(MedicalAuthority.CA_PEM));
        if (certs.size() != 1) {
            throw new IOException(MedicalAuthority.CA_PEM + " must hold exactly the CA certificate");
        }
        CertificateIndex.load(d); // fails now if the index is missing or damaged
        return new AuthorityIndex(d, certs.get(0));
    }

    static AuthorityIndex of(Path dir, X509Certificate caCertificate) {
        return new AuthorityIndex(dir, caCertificate);
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    public List<CertificateRecord> records() throws IOException {
        return CertificateIndex.load(dir).records();
    }

    public Optional<CertificateRecord> record(BigInteger serial) throws IOException {
        return CertificateIndex.load(dir).find(serial);
    }

    @Override
    public String toString() {
        return "AuthorityIndex[" + dir + "]";
    }
}
