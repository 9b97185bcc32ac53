package org.medledger.platform;

import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The one HTTP client of the server's outbound calls to other nodes (INTER-HOSPITAL peers, the
 * consortium's authority, member probes), released when the application stops. A JDK client keeps
 * a selector thread that lives as long as the client is referenced, and that thread holds the
 * deployment's class loader: a client kept in a static field would keep the whole undeployed EAR
 * on the heap for good. Here the only reference is dropped at undeploy, so the thread ends.
 * Per-call limits are the requests' own timeouts. TLS: the JVM's default SSL context, which
 * configure-tls-certificate.cli makes Elytron's {@code medledger-outgoing}: the installation's
 * authority is the only trust anchor, hostnames are verified; a peer presenting any other
 * certificate gets no request ({@link #untrusted}).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class OutboundHttp {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static HttpClient client;

    /** The shared client, made on first use. */
    public static synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        }
        return client;
    }

    /** Whether a failed call failed in the TLS handshake (the peer's certificate not trusted, or no common protocol). */
    public static boolean untrusted(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    @PreDestroy
    void release() {
        synchronized (OutboundHttp.class) {
            client = null;
        }
    }
}
