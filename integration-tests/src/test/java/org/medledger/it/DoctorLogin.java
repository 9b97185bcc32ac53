package org.medledger.it;

import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A doctor's device logging in to Keycloak with its medical-authority certificate: the X.509
 * direct grant of the client {@code medledger-doctor-device} over mutual TLS.
 */
final class DoctorLogin {

    /** What the login produced: a token, or Keycloak's refusal, or a refused TLS handshake. */
    record Outcome(int status, String body, String accessToken, String refreshToken) {
        boolean succeeded() {
            return accessToken != null;
        }
    }

    private DoctorLogin() {
    }

    static Outcome login(PrivateKey key, X509Certificate[] chain) {
        try {
            HttpClient http = HttpClient.newBuilder().sslContext(context(key, chain))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(ItConfig.keycloakHttps()
                                    + "/realms/medledger/protocol/openid-connect/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=medledger-doctor-device"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String token = null;
            String refresh = null;
            if (r.statusCode() == 200) {
                JsonObject o = Http.json(r);
                token = o.getString("access_token", null);
                refresh = o.getString("refresh_token", null);
            }
            return new Outcome(r.statusCode(), r.body(), token, refresh);
        } catch (IOException e) {
            // A certificate the TLS layer rejects (untrusted issuer, outside its validity) ends here.
            return new Outcome(0, "TLS: " + e, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the doctor's TLS client", e);
        }
    }

    private static SSLContext context(PrivateKey key, X509Certificate[] chain) throws Exception {
        char[] pw = "device".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("doctor", key, pw, chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, pw);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("tls-authority", ItPki.tlsAuthority().certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
