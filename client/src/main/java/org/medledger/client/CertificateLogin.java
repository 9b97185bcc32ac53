package org.medledger.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.json.JsonObject;

/**
 * A doctor's device login: Keycloak's X.509 direct grant on the client
 * {@code medledger-doctor-device}, over mutual TLS with the doctor's medical-authority
 * certificate and key (a PKCS#12 file); Keycloak's https front is trusted through the authority's
 * CA certificate. Doctors have no password.
 */
public final class CertificateLogin {

    private CertificateLogin() {
    }

    /** The doctor's certificate from its PKCS#12 file (first key entry). */
    public static X509Certificate certificate(Path p12, char[] password) throws IOException {
        try {
            KeyStore ks = load(p12, password);
            String alias = ks.aliases().nextElement();
            return (X509Certificate) ks.getCertificate(alias);
        } catch (GeneralSecurityException e) {
            throw new IOException("the doctor's certificate cannot be read");
        }
    }

    /** The certificate's private key (for the KGC's proof of possession); kept no longer than one call. */
    public static java.security.interfaces.ECPrivateKey privateKey(Path p12, char[] password) throws IOException {
        try {
            KeyStore ks = load(p12, password);
            String alias = ks.aliases().nextElement();
            if (ks.getKey(alias, password) instanceof java.security.interfaces.ECPrivateKey k) {
                return k;
            }
            throw new IOException("the doctor's key is not an EC key");
        } catch (GeneralSecurityException e) {
            throw new IOException("the doctor's key cannot be read");
        }
    }

    public static String accessToken(URI keycloakHttps, String realm, Path p12, char[] password, Path caPem)
            throws IOException, InterruptedException, ApiProblem {
        SSLContext ctx;
        try {
            KeyStore keys = load(p12, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(caPem)) {
                trust.setCertificateEntry("medical-authority", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up the doctor's TLS client");
        }
        HttpClient http = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(keycloakHttps.toString().replaceAll("/+$", "")
                        + "/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=medledger-doctor-device")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonObject o = Json2.parseObject(r.body());
        if (r.statusCode() != 200 || o == null || !o.containsKey("access_token")) {
            throw new ApiProblem(r.statusCode(), "LOGIN_REFUSED", "Keycloak refused the certificate login");
        }
        return o.getString("access_token");
    }

    private static KeyStore load(Path p12, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, password);
        }
        return ks;
    }
}
