package org.medledger.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

/**
 * The outbound client's selector thread (which holds the deployment's class loader) ends once the
 * application releases the client: nothing else keeps it, so an undeployed EAR is not kept alive.
 */
class OutboundHttpTest {

    private static long selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().matches("HttpClient-\\d+-SelectorManager")).count();
    }

    @Test
    void oneSharedClientWhoseSelectorThreadEndsWhenTheApplicationReleasesIt() throws Exception {
        long before = selectorThreads();
        HttpClient first = OutboundHttp.client();
        assertSame(first, OutboundHttp.client(), "one client for every outbound call");
        assertTrue(selectorThreads() >= before + 1, "the client runs a selector thread");
        first = null;
        new OutboundHttp().release();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (selectorThreads() > before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(200);
        }
        assertTrue(selectorThreads() <= before, "the selector thread still runs after the release");
    }

    @Test
    void aFailedHandshakeIsToldApartFromAnUnreachablePeer() {
        SSLHandshakeException pkix = new SSLHandshakeException("PKIX path building failed");
        assertTrue(OutboundHttp.untrusted(pkix));
        assertTrue(OutboundHttp.untrusted(new IOException("send failed", pkix)));
        assertFalse(OutboundHttp.untrusted(new ConnectException("Connection refused")));
        assertFalse(OutboundHttp.untrusted(new IOException("timed out")));
        assertFalse(OutboundHttp.untrusted(null));
    }
}
