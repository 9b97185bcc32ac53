package org.medledger.client.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import org.medledger.client.pki.AuthorityFiles;
import org.medledger.client.pki.AuthorityIndex;
import org.medledger.client.pki.AuthoritySettings;
import org.medledger.client.pki.CertificateRecord;
import org.medledger.client.pki.DoctorCertificateRequest;
import org.medledger.client.pki.IssuedCredentials;
import org.medledger.client.pki.MedicalAuthority;
import org.medledger.client.pki.OcspResponder;
import org.medledger.client.pki.OcspSigner;
import org.medledger.client.pki.RevocationReason;

/**
 * {@code medledger ca …}: the medical authority's command family. Passwords come only from
 * environment variables, never from the command line or the output.
 */
final class CaCommand {

    static final String CA_PASSWORD_ENV = "MEDLEDGER_CA_PASSWORD";
    static final String KEY_PASSWORD_ENV = "MEDLEDGER_KEY_PASSWORD";

    static final String USAGE = """
            usage: medledger ca <command> --dir DIR [options]
              The medical authority that issues doctor certificates (Cert_D). See docs/medical-authority.md.
              The CA key store password is read from $MEDLEDGER_CA_PASSWORD (or --ca-password-env VAR);
              passwords of key stores written for doctors, servers and trust stores from
              $MEDLEDGER_KEY_PASSWORD (or --key-password-env VAR).
            commands:
              init            [--subject DN] [--organization O] [--ocsp-url URL] [--crl-url URL] [--days N]
              roster          [--add ID | --remove ID]   (the doctor ids the authority certifies; lists it)
              issue-doctor    --doctor-id ID (--csr FILE | --public-key FILE.pem | --key-out FILE.p12)
                              (only for an id on the roster)
                              [--cert-out FILE.pem]
                              [--email ADDR] [--days N | --not-before ISO --not-after ISO]
                              [--client-auth false]   (test certificate without clientAuth)
              revoke          (--serial HEX | --doctor-id ID) [--reason R]   (R: key-compromise, superseded,
                              affiliation-changed, cessation-of-operation, privilege-withdrawn, ...)
              crl             --out FILE (.pem: PEM, else DER) [--hours N | --minutes N]   (validity; default 24 h)
              list
              ocsp-responder  --port P [--host 127.0.0.1] [--validity-minutes N] [--signer FILE.p12]
                              (runs until stopped; with --signer it signs with a delegated responder key
                              and needs no CA password)
              ocsp-signer     --out FILE.p12 [--days N]   (issue a delegated OCSP responder key)
              server-cert     --host H [--host H2 ...] (--out FILE.p12 | --cert-out FILE.pem --key-out FILE.pem
                              | --csr FILE --cert-out FILE.pem)   (--csr: the server's own key; chain out)
                              [--days N]
              export-trust    [--ca-pem FILE] [--truststore FILE.p12]
            """;

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "init", Set.of("subject", "organization", "ocsp-url", "crl-url", "days"),
            "issue-doctor", Set.of("doctor-id", "csr", "public-key", "key-out", "cert-out", "email", "days", "not-before", "not-after",
                    "client-auth"),
            "revoke", Set.of("serial", "doctor-id", "reason"),
            "roster", Set.of("add", "remove"),
            "crl", Set.of("out", "hours", "minutes"),
            "list", Set.of(),
            "ocsp-responder", Set.of("port", "host", "validity-minutes", "signer"),
            "ocsp-signer", Set.of("out", "days"),
            "server-cert", Set.of("host", "out", "cert-out", "key-out", "csr", "days"),
            "export-trust", Set.of("ca-pem", "truststore"));
    private static final Set<String> COMMON = Set.of("dir", "ca-password-env", "key-password-env");

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> env;
    private final Clock clock;
    private final SecureRandom random;
    private final CountDownLatch stop;

    CaCommand(PrintStream out, PrintStream err, Function<String, String> env, Clock clock, SecureRandom random,
              CountDownLatch stop) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.clock = clock;
        this.random = random;
        this.stop = stop;
    }

    /** {@code args[0]} is the sub-command. */
    int run(String[] args) {
        if (args.length == 0 || !OPTIONS.containsKey(args[0])) {
            err.print(USAGE);
            return 1;
        }
        String command = args[0];
        Map<String, List<String>> o;
        try {
            o = parse(args, OPTIONS.get(command));
            if (!o.containsKey("dir")) {
                throw new IllegalArgumentException("--dir is required");
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 1;
        }
        try {
            return switch (command) {
                case "init" -> init(o);
                case "issue-doctor" -> issueDoctor(o);
                case "roster" -> roster(o);
                case "revoke" -> revoke(o);
                case "crl" -> crl(o);
                case "list" -> list(o);
                case "ocsp-responder" -> ocspResponder(o);
                case "ocsp-signer" -> ocspSigner(o);
                case "server-cert" -> serverCert(o);
                case "export-trust" -> exportTrust(o);
                default -> throw new IllegalStateException();
            };
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            err.println(e.getMessage());
            return 1;
        } catch (IllegalStateException e) {
            err.println("Refused: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("I/O error: " + e.getMessage());
            return 4;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private int init(Map<String, List<String>> o) throws IOException {
        AuthoritySettings s = AuthoritySettings.defaults();
        if (o.containsKey("subject") || o.containsKey("organization")) {
            s = s.withSubject(one(o, "subject", s.subject()), one(o, "organization", s.organization()));
        }
        if (o.containsKey("ocsp-url")) {
            s = s.withOcspUrl(URI.create(one(o, "ocsp-url", null)));
        }
        if (o.containsKey("crl-url")) {
            s = s.withCrlUrl(URI.create(one(o, "crl-url", null)));
        }
        if (o.containsKey("days")) {
            s = new AuthoritySettings(s.subject(), s.organization(), s.ocspUrl(), s.crlUrl(), days(o, 3650));
        }
        char[] pw = caPassword(o);
        try {
            MedicalAuthority ca = MedicalAuthority.create(dir(o), s, pw, clock, random);
            out.println("Created the medical authority in " + ca.directory());
            out.println("  subject      " + ca.certificate().getSubjectX500Principal().getName());
            out.println("  SHA-256      " + fingerprint(ca.certificate()));
            out.println("  valid until  " + ca.certificate().getNotAfter().toInstant());
            out.println("  OCSP URL     " + (s.ocspUrl() == null ? "(none)" : s.ocspUrl()));
            out.println("  CRL URL      " + (s.crlUrl() == null ? "(none)" : s.crlUrl()));
            out.println("  CA cert      " + ca.directory().resolve("ca.pem"));
            return 0;
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    private int issueDoctor(Map<String, List<String>> o) throws IOException {
        String doctorId = required(o, "doctor-id");
        boolean generate = o.containsKey("key-out");
        int sources = (generate ? 1 : 0) + (o.containsKey("csr") ? 1 : 0) + (o.containsKey("public-key") ? 1 : 0);
        if (sources != 1) {
            throw new IllegalArgumentException(
                    "give exactly one of --csr or --public-key (the doctor's own key), or --key-out (generate one)");
        }
        Instant notBefore = o.containsKey("not-before") ? Instant.parse(one(o, "not-before", null)) : clock.instant();
        Instant notAfter = o.containsKey("not-after") ? Instant.parse(one(o, "not-after", null))
                : notBefore.plus(days(o, 365));
        MedicalAuthority ca = open(o);
        PublicKey key;
        java.security.KeyPair generated = null;
        if (generate) {
            generated = MedicalAuthority.generateKeyPair(random);
            key = generated.getPublic();
        } else if (o.containsKey("csr")) {
            key = MedicalAuthority.publicKeyFromCertificationRequest(Path.of(one(o, "csr", null)));
        } else {
            key = MedicalAuthority.readPublicKey(Path.of(one(o, "public-key", null)));
        }
        DoctorCertificateRequest request = DoctorCertificateRequest.of(doctorId, key, notBefore, notAfter);
        if (o.containsKey("email")) {
            request = request.withEmail(one(o, "email", null));
        }
        String clientAuth = one(o, "client-auth", "true");
        if (!clientAuth.equals("true") && !clientAuth.equals("false")) {
            throw new IllegalArgumentException("--client-auth must be true or false");
        }
        if (clientAuth.equals("false")) {
            request = request.withoutClientAuth();
        }
        char[] keyPw = generate ? keyPassword(o) : null;
        try {
            X509Certificate cert = ca.issueEnrolledDoctor(request);
            if (generate) {
                AuthorityFiles.writeKeyStore(Path.of(one(o, "key-out", null)), doctorId, generated.getPrivate(),
                        new X509Certificate[] {cert, ca.certificate()}, keyPw);
            }
            if (o.containsKey("cert-out")) {
                AuthorityFiles.writeCertificatePem(Path.of(one(o, "cert-out", null)), cert);
            }
            out.println("Issued a doctor certificate");
            out.println("  serial       " + cert.getSerialNumber().toString(16));
            out.println("  subject      " + cert.getSubjectX500Principal().getName());
            out.println("  valid        " + cert.getNotBefore().toInstant() + " .. " + cert.getNotAfter().toInstant());
            if (generate) {
                out.println("  key store    " + one(o, "key-out", null) + " (PKCS#12, alias " + doctorId + ")");
            }
            return 0;
        } finally {
            if (keyPw != null) {
                Arrays.fill(keyPw, '\0');
            }
        }
    }

    private int roster(Map<String, List<String>> o) throws IOException {
        if (o.containsKey("add") && o.containsKey("remove")) {
            throw new IllegalArgumentException("give at most one of --add or --remove");
        }
        MedicalAuthority ca = open(o);
        if (o.containsKey("add")) {
            ca.enrolDoctor(one(o, "add", null));
        } else if (o.containsKey("remove")) {
            ca.withdrawDoctor(one(o, "remove", null));
        }
        ca.roster().forEach(out::println);
        return 0;
    }

    private int revoke(Map<String, List<String>> o) throws IOException {
        if (o.containsKey("serial") == o.containsKey("doctor-id")) {
            throw new IllegalArgumentException("give exactly one of --serial or --doctor-id");
        }
        RevocationReason reason = RevocationReason.parse(one(o, "reason", "unspecified"));
        MedicalAuthority ca = open(o);
        List<CertificateRecord> done = new ArrayList<>();
        if (o.containsKey("serial")) {
            BigInteger serial;
            try {
                serial = new BigInteger(one(o, "serial", null).replace(":", ""), 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--serial must be hexadecimal");
            }
            done.add(ca.revoke(serial, reason, clock.instant()));
        } else {
            done.addAll(ca.revokeDoctor(one(o, "doctor-id", null), reason, clock.instant()));
        }
        for (CertificateRecord r : done) {
            out.println("Revoked " + r.serialHex() + " (" + r.subjectId() + ", " + r.reason().cliName() + ")");
        }
        out.println("Publish a new CRL (medledger ca crl) for relying parties that use CRLs; OCSP answers change at once.");
        return 0;
    }

    private int crl(Map<String, List<String>> o) throws IOException {
        Path file = Path.of(required(o, "out"));
        if (o.containsKey("hours") && o.containsKey("minutes")) {
            throw new IllegalArgumentException("give --hours or --minutes, not both");
        }
        Duration validity = o.containsKey("minutes") ? Duration.ofMinutes(positive(o, "minutes", -1))
                : Duration.ofHours(positive(o, "hours", 24));
        X509CRL crl = open(o).publishCrl(validity, file);
        int n = crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size();
        out.println("Published a CRL with " + n + " revoked certificate(s) to " + file);
        out.println("  this update  " + crl.getThisUpdate().toInstant());
        out.println("  next update  " + crl.getNextUpdate().toInstant());
        return 0;
    }

    private int list(Map<String, List<String>> o) throws IOException {
        Instant now = clock.instant();
        out.printf(Locale.ROOT, "%-32s  %-14s  %-24s  %-20s  %s%n", "SERIAL", "PROFILE", "SUBJECT", "NOT AFTER", "STATUS");
        for (CertificateRecord r : MedicalAuthority.records(dir(o))) {
            String status = r.isRevoked() ? "REVOKED (" + r.reason().cliName() + ", " + r.revokedAt() + ")"
                    : r.notAfter().isBefore(now) ? "EXPIRED" : r.notBefore().isAfter(now) ? "NOT YET VALID" : "VALID";
            out.printf(Locale.ROOT, "%-32s  %-14s  %-24s  %-20s  %s%n", r.serialHex(),
                    r.profile().name().toLowerCase(Locale.ROOT), r.subjectId(), r.notAfter(), status);
        }
        return 0;
    }

    private int ocspResponder(Map<String, List<String>> o) throws IOException, InterruptedException {
        int port = (int) positive(o, "port", -1);
        if (port > 65535) {
            throw new IllegalArgumentException("--port must be a TCP port");
        }
        Duration validity = Duration.ofMinutes(positive(o, "validity-minutes", 10));
        AuthorityIndex index;
        OcspSigner signer;
        if (o.containsKey("signer")) {
            index = AuthorityIndex.of(dir(o));
            char[] pw = keyPassword(o);
            try {
                signer = OcspSigner.loadDelegated(Path.of(one(o, "signer", null)), pw);
            } finally {
                Arrays.fill(pw, '\0');
            }
        } else {
            MedicalAuthority ca = open(o);
            index = ca.index();
            signer = ca.ocspSigner();
        }
        try (OcspResponder responder = OcspResponder.start(index, signer,
                new InetSocketAddress(one(o, "host", "127.0.0.1"), port), clock, validity)) {
            Thread hook = new Thread(stop::countDown, "ocsp-responder-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("OCSP responder for " + index.caCertificate().getSubjectX500Principal().getName()
                    + " listening on " + responder.uri() + " (Ctrl-C to stop)");
            out.flush();
            try {
                stop.await();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: that is how we got here
                }
            }
            out.println("OCSP responder stopped");
            return 0;
        }
    }

    private int ocspSigner(Map<String, List<String>> o) throws IOException {
        Path file = Path.of(required(o, "out"));
        char[] pw = keyPassword(o);
        try {
            OcspSigner signer = open(o).issueOcspResponder(days(o, 90));
            signer.writePkcs12(file, pw);
            out.println("Wrote a delegated OCSP responder key and certificate to " + file);
            out.println("  serial       " + signer.certificate().getSerialNumber().toString(16));
            out.println("  valid until  " + signer.certificate().getNotAfter().toInstant());
            return 0;
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    private int serverCert(Map<String, List<String>> o) throws IOException {
        List<String> hosts = o.get("host");
        if (hosts == null) {
            throw new IllegalArgumentException("--host is required");
        }
        if (o.containsKey("csr")) {
            return serverCertForRequest(o, hosts);
        }
        boolean p12 = o.containsKey("out");
        boolean pem = o.containsKey("cert-out") || o.containsKey("key-out");
        if (p12 == pem || (pem && !(o.containsKey("cert-out") && o.containsKey("key-out")))) {
            throw new IllegalArgumentException("give --out FILE.p12, or --cert-out and --key-out");
        }
        char[] keyPw = p12 ? keyPassword(o) : null;
        try {
            IssuedCredentials tls = open(o).issueServerCredentials(hosts, days(o, 825));
            if (p12) {
                tls.writePkcs12(Path.of(one(o, "out", null)), "server", keyPw);
                out.println("Wrote the TLS key and chain to " + one(o, "out", null) + " (PKCS#12, alias server)");
            } else {
                tls.writePem(Path.of(one(o, "cert-out", null)), Path.of(one(o, "key-out", null)));
                out.println("Wrote the TLS chain to " + one(o, "cert-out", null) + " and the key to "
                        + one(o, "key-out", null));
            }
            out.println("  serial       " + tls.certificate().getSerialNumber().toString(16));
            out.println("  names        " + String.join(", ", hosts));
            return 0;
        } finally {
            if (keyPw != null) {
                Arrays.fill(keyPw, '\0');
            }
        }
    }

    /** A certificate for the key of the server's own PKCS#10 request: the chain (leaf, CA) to {@code --cert-out}. */
    private int serverCertForRequest(Map<String, List<String>> o, List<String> hosts) throws IOException {
        if (!o.containsKey("cert-out") || o.containsKey("out") || o.containsKey("key-out")) {
            throw new IllegalArgumentException("with --csr give --cert-out FILE.pem only (the key stays with the server)");
        }
        MedicalAuthority ca = open(o);
        java.security.PublicKey key = MedicalAuthority.publicKeyFromCertificationRequest(Path.of(one(o, "csr", null)));
        java.security.cert.X509Certificate cert = ca.issueServerCertificate(hosts, key, days(o, 825));
        org.medledger.client.pki.AuthorityFiles.writeCertificatePem(Path.of(one(o, "cert-out", null)), cert, ca.certificate());
        out.println("Wrote the TLS chain for the request's key to " + one(o, "cert-out", null));
        out.println("  serial       " + cert.getSerialNumber().toString(16));
        out.println("  names        " + String.join(", ", hosts));
        return 0;
    }

    private int exportTrust(Map<String, List<String>> o) throws IOException {
        if (!o.containsKey("ca-pem") && !o.containsKey("truststore")) {
            throw new IllegalArgumentException("give --ca-pem FILE and/or --truststore FILE.p12");
        }
        // the CA certificate is public: no CA password needed
        List<X509Certificate> ca = AuthorityFiles.readCertificates(dir(o).resolve("ca.pem"));
        if (ca.size() != 1) {
            throw new IOException("ca.pem must hold exactly the CA certificate");
        }
        if (o.containsKey("ca-pem")) {
            AuthorityFiles.writeCertificatePem(Path.of(one(o, "ca-pem", null)), ca.get(0));
            out.println("Wrote the CA certificate to " + one(o, "ca-pem", null));
        }
        if (o.containsKey("truststore")) {
            char[] pw = keyPassword(o);
            try {
                AuthorityFiles.writeTrustStore(Path.of(one(o, "truststore", null)), pw, ca.get(0));
            } finally {
                Arrays.fill(pw, '\0');
            }
            out.println("Wrote a PKCS#12 trust store with the CA certificate to " + one(o, "truststore", null));
        }
        return 0;
    }

    // ---------------------------------------------------------------------------------------

    private MedicalAuthority open(Map<String, List<String>> o) throws IOException {
        char[] pw = caPassword(o);
        try {
            return MedicalAuthority.open(dir(o), pw, clock, random);
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    private char[] caPassword(Map<String, List<String>> o) {
        return secret(one(o, "ca-password-env", CA_PASSWORD_ENV));
    }

    private char[] keyPassword(Map<String, List<String>> o) {
        return secret(one(o, "key-password-env", KEY_PASSWORD_ENV));
    }

    private char[] secret(String variable) {
        String value = env.apply(variable);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("set the password in the environment variable " + variable);
        }
        return value.toCharArray();
    }

    private static Path dir(Map<String, List<String>> o) {
        return Path.of(one(o, "dir", null));
    }

    private static String one(Map<String, List<String>> o, String key, String fallback) {
        List<String> v = o.get(key);
        if (v == null) {
            return fallback;
        }
        if (v.size() != 1) {
            throw new IllegalArgumentException("--" + key + " may be given only once");
        }
        return v.get(0);
    }

    private static String required(Map<String, List<String>> o, String key) {
        String v = one(o, key, null);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    private static Duration days(Map<String, List<String>> o, long fallback) {
        return Duration.ofDays(positive(o, "days", fallback));
    }

    private static long positive(Map<String, List<String>> o, String key, long fallback) {
        String v = one(o, key, null);
        if (v == null) {
            if (fallback < 0) {
                throw new IllegalArgumentException("--" + key + " is required");
            }
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0 || (n == 0 && !key.equals("port"))) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a positive number");
        }
    }

    private static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            return "?";
        }
    }

    static Map<String, List<String>> parse(String[] args, Set<String> allowed) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("bad option: " + a);
            }
            String key = a.substring(2);
            if (!allowed.contains(key) && !COMMON.contains(key)) {
                throw new IllegalArgumentException("unknown option for ca " + args[0] + ": " + a);
            }
            m.computeIfAbsent(key, k -> new ArrayList<>()).add(args[++i]);
        }
        return m;
    }
}
