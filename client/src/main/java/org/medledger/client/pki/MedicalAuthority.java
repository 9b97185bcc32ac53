package org.medledger.client.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.medledger.protocol.pki.DoctorRole;

/**
 * The medical authority that issues {@code Cert_D} (PROTOCOLS.md §0): an EC P-256 CA kept in
 * a directory —
 * <pre>
 *   ca.p12          CA key and certificate (PKCS#12, mode 600, caller's password)
 *   ca.pem          CA certificate
 *   authority.json  names and the OCSP/CRL URLs written into issued certificates
 *   index.json      every issued certificate: serial, subject, validity, revocation
 *   issued/*.pem    every issued certificate, by serial
 * </pre>
 * Doctors bring their own public key (or a PKCS#10 request); the authority never needs a
 * doctor's private key. Serials are 128 random bits. Changes to the index are serialised by
 * a file lock, so the CLI and a running {@link OcspResponder} can share the directory.
 */
public final class MedicalAuthority {

    static final String KEY_STORE = "ca.p12";
    static final String CA_PEM = "ca.pem";
    static final String ISSUED = "issued";
    static final String ALIAS = "medical-authority";
    static final String ROSTER = "doctor-roster.txt";
    private static final Pattern DOCTOR_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}");
    private static final String LOCK = ".lock";
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:-]{1,253}");
    private static final ConcurrentHashMap<Path, Object> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final AuthoritySettings settings;
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Clock clock;
    private final SecureRandom random;

    private MedicalAuthority(Path dir, AuthoritySettings settings, PrivateKey key, X509Certificate certificate,
                             Clock clock, SecureRandom random) {
        this.dir = dir;
        this.settings = settings;
        this.key = key;
        this.certificate = certificate;
        this.clock = clock;
        this.random = random;
    }

    /** Creates a new authority in {@code dir} (which must be missing or empty). */
    public static MedicalAuthority create(Path dir, AuthoritySettings settings, char[] password, Clock clock,
                                          SecureRandom random) throws IOException {
        Objects.requireNonNull(settings, "Settings are required.");
        requirePassword(password);
        Path d = dir.toAbsolutePath().normalize();
        AuthorityFiles.createEmptyDirectory(d);
        KeyPair keys = generateKeyPair(random);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        X500Name subject = X500Name.getInstance(new X500Principal(settings.subject()).getEncoded());
        try {
            // notBefore an hour back tolerates clock skew between hosts checking the chain
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(random),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(settings.caValidity())), subject,
                    keys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate ca = new JcaX509CertificateConverter().getCertificate(b.build(signer(keys.getPrivate())));
            AuthorityFiles.writeKeyStore(d.resolve(KEY_STORE), ALIAS, keys.getPrivate(), new X509Certificate[] {ca},
                    password);
            AuthorityFiles.writeCertificatePem(d.resolve(CA_PEM), ca);
            settings.save(d);
            CertificateIndex.empty().save(d);
            Files.createDirectories(d.resolve(ISSUED));
            return new MedicalAuthority(d, settings, keys.getPrivate(), ca, clock, random);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("the CA certificate cannot be created", e);
        }
    }

    /** Opens an existing authority with the key store password. */
    public static MedicalAuthority open(Path dir, char[] password, Clock clock, SecureRandom random) throws IOException {
        requirePassword(password);
        Path d = dir.toAbsolutePath().normalize();
        KeyStore ks = AuthorityFiles.readKeyStore(d.resolve(KEY_STORE), password);
        try {
            Key k = ks.getKey(ALIAS, password);
            if (!(k instanceof PrivateKey) || !(ks.getCertificate(ALIAS) instanceof X509Certificate)) {
                throw new IOException("no CA key in " + d.resolve(KEY_STORE));
            }
            return new MedicalAuthority(d, AuthoritySettings.load(d), (PrivateKey) k,
                    (X509Certificate) ks.getCertificate(ALIAS), Objects.requireNonNull(clock),
                    Objects.requireNonNull(random));
        } catch (GeneralSecurityException e) {
            throw new IOException("the CA key cannot be read", e);
        }
    }

    /** The index of an authority, readable without its password (e.g. for {@code ca list}). */
    public static List<CertificateRecord> records(Path dir) throws IOException {
        return CertificateIndex.load(dir.toAbsolutePath().normalize()).records();
    }

    /** A fresh EC P-256 key pair (for doctors who let the tooling generate their key, and for TLS). */
    public static KeyPair generateKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available", e);
        }
    }

    /** The public key of a PKCS#10 request (PEM), after checking the requester's signature over it. */
    public static PublicKey publicKeyFromCertificationRequest(Path csrPem) throws IOException {
        try {
            JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(
                    AuthorityFiles.readPem(csrPem, "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"));
            PublicKey key = publicKey(csr.getSubjectPublicKeyInfo());
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new IOException("the certification request is not signed by its key");
            }
            return key;
        } catch (GeneralSecurityException | OperatorCreationException | PKCSException | IOException | RuntimeException e) {
            throw new IOException("not a valid certification request: " + csrPem.getFileName(), e);
        }
    }

    /** A public key from a {@code PUBLIC KEY} PEM file (SubjectPublicKeyInfo), e.g. {@code openssl pkey -pubout}. */
    public static PublicKey readPublicKey(Path pem) throws IOException {
        try {
            return publicKey(SubjectPublicKeyInfo.getInstance(AuthorityFiles.readPem(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("not a public key: " + pem.getFileName(), e);
        }
    }

    private static PublicKey publicKey(SubjectPublicKeyInfo spki) throws IOException, GeneralSecurityException {
        // the JDK has no KeyFactory under the key's OID, so pick the factory by name
        String oid = spki.getAlgorithm().getAlgorithm().getId();
        String algorithm = oid.equals("1.2.840.10045.2.1") ? "EC" : oid.equals("1.2.840.113549.1.1.1") ? "RSA" : null;
        if (algorithm == null) {
            throw new IOException("unsupported key type " + oid);
        }
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
    }

    public Path directory() {
        return dir;
    }

    public AuthoritySettings settings() {
        return settings;
    }

    /** The trust anchor Keycloak, WildFly and the protocol verifiers trust. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificate and the index, as an OCSP responder reads them. */
    public AuthorityIndex index() {
        return AuthorityIndex.of(dir, certificate);
    }

    /** Responses signed by the CA key itself. */
    public OcspSigner ocspSigner() {
        return OcspSigner.issuer(key, certificate);
    }

    public List<CertificateRecord> records() throws IOException {
        return CertificateIndex.load(dir).records();
    }

    public Optional<CertificateRecord> record(BigInteger serial) throws IOException {
        return CertificateIndex.load(dir).find(serial);
    }

    /**
     * The doctor roster: the ids the authority has confirmed are physicians (e.g. against the
     * hospital's staff register), one per line in {@code doctor-roster.txt}. The authority's tool
     * issues doctor certificates only for ids on it ({@link #issueEnrolledDoctor}), so a doctor
     * certificate never names an operator, administrator or patient.
     */
    public java.util.SortedSet<String> roster() throws IOException {
        Path file = dir.resolve(ROSTER);
        java.util.TreeSet<String> ids = new java.util.TreeSet<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    ids.add(line.strip());
                }
            }
        }
        return ids;
    }

    /** Puts {@code doctorId} on the roster (idempotent). */
    public void enrolDoctor(String doctorId) throws IOException {
        if (doctorId == null || !DOCTOR_ID.matcher(doctorId).matches()) {
            throw new IllegalArgumentException("a doctor id is 1-64 letters, digits or . _ @ + -");
        }
        locked(() -> {
            java.util.SortedSet<String> ids = roster();
            ids.add(doctorId);
            writeRoster(ids);
            return null;
        });
    }

    /** Takes {@code doctorId} off the roster; certificates already issued stay until revoked. */
    public void withdrawDoctor(String doctorId) throws IOException {
        locked(() -> {
            java.util.SortedSet<String> ids = roster();
            if (!ids.remove(doctorId)) {
                throw new IllegalArgumentException(doctorId + " is not on the doctor roster");
            }
            writeRoster(ids);
            return null;
        });
    }

    private void writeRoster(java.util.SortedSet<String> ids) throws IOException {
        StringBuilder b = new StringBuilder("# Doctor ids the authority certifies (medledger ca roster)\n");
        ids.forEach(id -> b.append(id).append('\n'));
        AuthorityFiles.writePublic(dir.resolve(ROSTER), b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * {@link #issueDoctor(DoctorCertificateRequest)} for an id on the roster only.
     *
     * @throws IllegalStateException if the id is not on the roster
     */
    public X509Certificate issueEnrolledDoctor(DoctorCertificateRequest request) throws IOException {
        if (!roster().contains(request.doctorId())) {
            throw new IllegalStateException(request.doctorId() + " is not on the doctor roster; only physicians the"
                    + " authority has confirmed get doctor certificates (medledger ca roster --add ID)");
        }
        return issueDoctor(request);
    }

    /**
     * {@code Cert_D}: subject {@code CN=<doctor id>,OU=doctor,O=<organization>}, keyUsage
     * digitalSignature (critical), extendedKeyUsage clientAuth, optional e-mail SAN, and the
     * authority's OCSP (AIA) and CRL distribution point URLs.
     */
    public X509Certificate issueDoctor(DoctorCertificateRequest request) throws IOException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, settings.organization())
                .addRDN(BCStyle.OU, DoctorRole.ORGANIZATIONAL_UNIT).addRDN(BCStyle.CN, request.doctorId()).build();
        return issue(CertificateProfile.DOCTOR, request.doctorId(), subject, request.publicKey(), request.notBefore(),
                request.notAfter(), b -> {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    if (request.clientAuth()) {
                        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
                    } else {
                        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
                    }
                    if (request.email() != null) {
                        b.addExtension(Extension.subjectAlternativeName, false,
                                new GeneralNames(new GeneralName(GeneralName.rfc822Name, request.email())));
                    }
                    addRevocationPointers(b);
                });
    }

    /** A doctor certificate valid from now for {@code validity}. */
    public X509Certificate issueDoctor(String doctorId, PublicKey publicKey, Duration validity) throws IOException {
        Instant now = clock.instant();
        return issueDoctor(DoctorCertificateRequest.of(doctorId, publicKey, now, now.plus(validity)));
    }

    /** Generates the doctor's key pair here (demos, tests) and certifies it. */
    public IssuedCredentials issueDoctorWithNewKey(String doctorId, Duration validity) throws IOException {
        KeyPair keys = generateKeyPair(random);
        return new IssuedCredentials(keys.getPrivate(), issueDoctor(doctorId, keys.getPublic(), validity), certificate);
    }

    /**
     * A TLS server certificate (keyUsage digitalSignature, extendedKeyUsage serverAuth) for
     * the given host names and IP literals, e.g. {@code localhost} and {@code 127.0.0.1}.
     */
    public IssuedCredentials issueServerCredentials(List<String> hosts, Duration validity) throws IOException {
        KeyPair keys = generateKeyPair(random);
        return new IssuedCredentials(keys.getPrivate(), issueServerCertificate(hosts, keys.getPublic(), validity), certificate);
    }

    /**
     * A TLS server certificate for a key the server generated itself (e.g. the public key of its
     * PKCS#10 request, {@link #publicKeyFromCertificationRequest}); the authority never sees the
     * private key.
     */
    public X509Certificate issueServerCertificate(List<String> hosts, PublicKey publicKey, Duration validity) throws IOException {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("At least one host is required.");
        }
        List<GeneralName> names = new ArrayList<>();
        for (String h : hosts) {
            if (!HOST.matcher(h).matches()) {
                throw new IllegalArgumentException("Not a host name or IP address: " + h);
            }
            names.add(isIpLiteral(h) ? new GeneralName(GeneralName.iPAddress, h) : new GeneralName(GeneralName.dNSName, h));
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, settings.organization())
                .addRDN(BCStyle.CN, hosts.get(0)).build();
        Instant now = clock.instant();
        return issue(CertificateProfile.SERVER, hosts.get(0), subject, publicKey, now, now.plus(validity), b -> {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        });
    }

    /** A delegated OCSP responder (id-kp-OCSPSigning, id-pkix-ocsp-nocheck) with a fresh key. */
    public OcspSigner issueOcspResponder(Duration validity) throws IOException {
        KeyPair keys = generateKeyPair(random);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, settings.organization())
                .addRDN(BCStyle.CN, "OCSP Responder").build();
        Instant now = clock.instant();
        X509Certificate cert = issue(CertificateProfile.OCSP_RESPONDER, "ocsp-responder", subject, keys.getPublic(),
                now, now.plus(validity), b -> {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
                    b.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
                });
        return OcspSigner.delegated(keys.getPrivate(), cert);
    }

    /** Marks one certificate revoked in the index; it appears in the next CRL and OCSP answers at once. */
    public CertificateRecord revoke(BigInteger serial, RevocationReason reason, Instant when) throws IOException {
        Objects.requireNonNull(reason, "Reason is required.");
        Objects.requireNonNull(when, "Revocation time is required.");
        return locked(() -> {
            CertificateIndex index = CertificateIndex.load(dir);
            CertificateRecord r = index.find(serial).orElseThrow(
                    () -> new IllegalArgumentException("no certificate with serial " + serial.toString(16)));
            if (r.isRevoked()) {
                throw new IllegalStateException("certificate " + serial.toString(16) + " is already revoked");
            }
            CertificateRecord revoked = r.revoked(when.truncatedTo(ChronoUnit.SECONDS), reason);
            index.replaced(revoked).save(dir);
            return revoked;
        });
    }

    /** Revokes every unrevoked doctor certificate of {@code doctorId}. */
    public List<CertificateRecord> revokeDoctor(String doctorId, RevocationReason reason, Instant when) throws IOException {
        List<CertificateRecord> done = new ArrayList<>();
        for (CertificateRecord r : records()) {
            if (r.profile() == CertificateProfile.DOCTOR && r.subjectId().equals(doctorId) && !r.isRevoked()) {
                done.add(revoke(r.serial(), reason, when));
            }
        }
        if (done.isEmpty()) {
            throw new IllegalArgumentException("no unrevoked certificate for doctor " + doctorId);
        }
        return done;
    }

    /**
     * Signs a CRL of every revoked certificate (with reason codes), {@code thisUpdate = now},
     * {@code nextUpdate = now + validity}, the next CRL number and the authority key id.
     */
    public X509CRL publishCrl(Duration validity) throws IOException {
        return locked(() -> {
            CertificateIndex index = CertificateIndex.load(dir);
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            try {
                X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(certificate.getSubjectX500Principal()
                        .getEncoded()), Date.from(now));
                b.setNextUpdate(Date.from(now.plus(validity)));
                for (CertificateRecord r : index.records()) {
                    if (r.isRevoked()) {
                        b.addCRLEntry(r.serial(), Date.from(r.revokedAt()), r.reason().code());
                    }
                }
                b.addExtension(Extension.authorityKeyIdentifier, false,
                        new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate.getPublicKey()));
                b.addExtension(Extension.cRLNumber, false, new CRLNumber(index.nextCrlNumber()));
                X509CRL crl = new JcaX509CRLConverter().getCRL(b.build(signer(key)));
                index.afterCrl().save(dir);
                return crl;
            } catch (GeneralSecurityException | OperatorCreationException e) {
                throw new IOException("the CRL cannot be signed", e);
            }
        });
    }

    /** {@link #publishCrl} written to {@code file} (PEM if it ends with {@code .pem}, else DER). */
    public X509CRL publishCrl(Duration validity, Path file) throws IOException {
        X509CRL crl = publishCrl(validity);
        AuthorityFiles.writeCrl(file, crl);
        return crl;
    }

    /** The CA certificate as PEM (Keycloak {@code truststore-paths}). */
    public void exportCaPem(Path file) throws IOException {
        AuthorityFiles.writeCertificatePem(file, certificate);
    }

    /** A PKCS#12 trust store with the CA certificate (Keycloak {@code https-trust-store-file}). */
    public void exportTrustStore(Path file, char[] password) throws IOException {
        requirePassword(password);
        AuthorityFiles.writeTrustStore(file, password, certificate);
    }

    @Override
    public String toString() {
        return "MedicalAuthority[" + certificate.getSubjectX500Principal().getName() + " in " + dir + "]";
    }

    // ---------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Extensions {
        void add(X509v3CertificateBuilder b) throws CertIOException;
    }

    @FunctionalInterface
    private interface LockedAction<T> {
        T run() throws IOException;
    }

    private X509Certificate issue(CertificateProfile profile, String subjectId, X500Name subject, PublicKey publicKey,
                                  Instant notBefore, Instant notAfter, Extensions extensions) throws IOException {
        return locked(() -> {
            CertificateIndex index = CertificateIndex.load(dir);
            BigInteger serial;
            do {
                serial = serial(random);
            } while (index.find(serial).isPresent());
            Instant from = notBefore.truncatedTo(ChronoUnit.SECONDS);
            Instant to = notAfter.truncatedTo(ChronoUnit.SECONDS);
            try {
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial, Date.from(from),
                        Date.from(to), subject, publicKey);
                JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
                b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate.getPublicKey()));
                extensions.add(b);
                X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer(key)));
                index.with(new CertificateRecord(serial, profile, subjectId, cert.getSubjectX500Principal().getName(),
                        from, to, null, null)).save(dir);
                AuthorityFiles.writeCertificatePem(dir.resolve(ISSUED).resolve(serial.toString(16) + ".pem"), cert);
                return cert;
            } catch (GeneralSecurityException | OperatorCreationException e) {
                throw new IOException("the certificate cannot be signed", e);
            }
        });
    }

    private void addRevocationPointers(X509v3CertificateBuilder b) throws CertIOException {
        URI ocsp = settings.ocspUrl();
        if (ocsp != null) {
            b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                    new AccessDescription(AccessDescription.id_ad_ocsp,
                            new GeneralName(GeneralName.uniformResourceIdentifier, ocsp.toString()))));
        }
        URI crl = settings.crlUrl();
        if (crl != null) {
            b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                    new DistributionPoint(new DistributionPointName(new GeneralNames(
                            new GeneralName(GeneralName.uniformResourceIdentifier, crl.toString()))), null, null)}));
        }
    }

    /** 128 random bits, positive and non-zero (RFC 5280 §4.1.2.2 allows up to 20 octets). */
    private static BigInteger serial(SecureRandom random) {
        BigInteger s;
        do {
            byte[] b = new byte[16];
            random.nextBytes(b);
            s = new BigInteger(1, b);
        } while (s.signum() == 0);
        return s;
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder(SIGNATURE).build(key);
    }

    private static boolean isIpLiteral(String host) {
        if (host.contains(":")) {
            return true;
        }
        if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        try {
            return InetAddress.getByName(host) != null; // a literal: no lookup happens
        } catch (IOException e) {
            return false;
        }
    }

    private static void requirePassword(char[] password) {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("A key store password is required.");
        }
    }

    /** Serialises index changes across threads of this process and across processes. */
    private <T> T locked(LockedAction<T> action) throws IOException {
        Object monitor = IN_PROCESS_LOCKS.computeIfAbsent(dir, p -> new Object());
        synchronized (monitor) {
            try (FileChannel ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                return action.run();
            }
        }
    }
}
