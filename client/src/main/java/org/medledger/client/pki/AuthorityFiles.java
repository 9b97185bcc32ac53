package org.medledger.client.pki;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Files the authority writes: PEM/DER objects and PKCS#12 stores. Everything is written to a
 * temporary file in the target directory and moved into place atomically; files holding a
 * private key are created with mode 600 before any byte is written.
 */
public final class AuthorityFiles {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private AuthorityFiles() {
    }

    /** Writes a file only its owner can read (private keys, key stores). */
    public static void writePrivate(Path file, byte[] content) throws IOException {
        write(file, content, OWNER_ONLY);
    }

    /** Writes a world-readable file (certificates, CRLs). */
    public static void writePublic(Path file, byte[] content) throws IOException {
        write(file, content, READABLE);
    }

    private static void write(Path file, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp;
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(mode);
            tmp = Files.createTempFile(dir, ".tmp-", ".part", attr);
        } else {
            tmp = Files.createTempFile(dir, ".tmp-", ".part");
        }
        try {
            Files.write(tmp, content);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Creates {@code dir} (mode 700 where supported); fails if it exists and is not empty. */
    static void createEmptyDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new FileAlreadyExistsException(dir.toString(), null, "directory is not empty");
                }
            }
        } else {
            Files.createDirectories(dir);
        }
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    /** PEM text of certificates, CRLs or other objects. */
    public static byte[] pem(Object... objects) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(out, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (Object o : objects) {
                pem.writeObject(o);
            }
        }
        return out.toByteArray();
    }

    /** Unencrypted PKCS#8 {@code PRIVATE KEY} PEM (for servers that read a key file). */
    public static byte[] privateKeyPem(PrivateKey key) throws IOException {
        return pem(new JcaPKCS8Generator(key, null).generate());
    }

    public static void writeCertificatePem(Path file, X509Certificate... chain) throws IOException {
        writePublic(file, pem((Object[]) chain));
    }

    /** DER, or PEM if the file name ends with {@code .pem}. */
    public static void writeCrl(Path file, X509CRL crl) throws IOException {
        try {
            boolean pem = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pem");
            writePublic(file, pem ? pem(crl) : crl.getEncoded());
        } catch (java.security.cert.CRLException e) {
            throw new IOException("CRL cannot be encoded", e);
        }
    }

    /** All certificates in a PEM or DER file. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : f.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)))) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IOException("not a certificate file: " + file, e);
        }
    }

    /** The first PEM object of the given type (e.g. {@code CERTIFICATE REQUEST}). */
    static byte[] readPem(Path file, String... types) throws IOException {
        try (PemReader r = new PemReader(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
            for (PemObject o = r.readPemObject(); o != null; o = r.readPemObject()) {
                for (String t : types) {
                    if (o.getType().equals(t)) {
                        return o.getContent();
                    }
                }
            }
        }
        throw new IOException("no " + String.join(" or ", types) + " in " + file);
    }

    /** A PKCS#12 store with one private key entry and its chain, mode 600. */
    public static void writeKeyStore(Path file, String alias, PrivateKey key, X509Certificate[] chain, char[] password)
            throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(alias, key, password, chain);
            writePrivate(file, store(ks, password));
        } catch (GeneralSecurityException e) {
            throw new IOException("key store cannot be written", e);
        }
    }

    /** A PKCS#12 trust store holding the given certificates as trusted entries, mode 600 like every key store. */
    public static void writeTrustStore(Path file, char[] password, X509Certificate... trusted) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < trusted.length; i++) {
                ks.setCertificateEntry(i == 0 ? "medical-authority" : "medical-authority-" + i, trusted[i]);
            }
            writePrivate(file, store(ks, password));
        } catch (GeneralSecurityException e) {
            throw new IOException("trust store cannot be written", e);
        }
    }

    /** Opens a PKCS#12 store; a wrong password is reported without echoing it. */
    public static KeyStore readKeyStore(Path file, char[] password) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(file)) {
                ks.load(in, password);
            }
            return ks;
        } catch (GeneralSecurityException e) {
            throw new IOException("key store " + file.getFileName() + " cannot be opened", e);
        } catch (IOException e) {
            throw new IOException("key store " + file.getFileName() + " cannot be opened (missing, damaged, or wrong password)");
        }
    }

    private static byte[] store(KeyStore ks, char[] password) throws IOException, GeneralSecurityException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, password);
        return out.toByteArray();
    }
}
