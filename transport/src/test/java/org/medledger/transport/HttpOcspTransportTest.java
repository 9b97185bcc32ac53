package org.medledger.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP leg of OCSP accepts only a prompt 200 with the OCSP media type and a sane size. */
class HttpOcspTransportTest {

    private HttpServer server;
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool();
    private final HttpOcspTransport transport = HttpOcspTransport.withTimeout(Duration.ofMillis(500));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", ex -> reply(ex, 200, "application/ocsp-response", new byte[] {1, 2, 3}));
        server.createContext("/error", ex -> reply(ex, 500, "application/ocsp-response", new byte[] {1}));
        server.createContext("/html", ex -> reply(ex, 200, "text/html", new byte[] {1}));
        server.createContext("/huge", ex -> reply(ex, 200, "application/ocsp-response",
                new byte[HttpOcspTransport.MAX_RESPONSE_BYTES + 1]));
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(ex, 200, "application/ocsp-response", new byte[] {1});
        });
        server.setExecutor(executor);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String type, byte[] body)
            throws IOException {
        ex.getRequestBody().readAllBytes();
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private URI at(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void promptOcspAnswerIsReturned() throws Exception {
        assertArrayEquals(new byte[] {1, 2, 3}, transport.exchange(at("/ok"), new byte[] {0x30, 0}));
    }

    @Test
    void errorStatusWrongMediaTypeOversizedAndSlowAnswersAreRefused() {
        assertThrows(IOException.class, () -> transport.exchange(at("/error"), new byte[] {0x30, 0}));
        assertThrows(IOException.class, () -> transport.exchange(at("/html"), new byte[] {0x30, 0}));
        assertThrows(IOException.class, () -> transport.exchange(at("/huge"), new byte[] {0x30, 0}));
        assertThrows(IOException.class, () -> transport.exchange(at("/slow"), new byte[] {0x30, 0}));
    }

    @Test
    void onlyHttpAndHttpsResponderUrisAreUsed() {
        assertThrows(IOException.class, () -> transport.exchange(URI.create("ldap://127.0.0.1/"), new byte[] {0x30, 0}));
        assertThrows(IOException.class, () -> transport.exchange(URI.create("file:///etc/passwd"), new byte[] {0x30, 0}));
    }
}
