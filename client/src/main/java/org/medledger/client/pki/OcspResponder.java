package org.medledger.client.pki;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small OCSP responder (RFC 6960) for the medical authority, answering from the
 * authority's index as it is at the moment of each request (a revocation is visible at
 * once). Accepts POST with {@code application/ocsp-request} and GET with the base64,
 * URL-encoded request as the last path segment (appendix A.1). Responses are signed by the
 * CA or a delegated responder ({@link OcspSigner}), identify the responder by key hash,
 * echo the request nonce, and carry {@code thisUpdate = now}, {@code nextUpdate = now + validity}.
 * CertIDs for another issuer get {@code unauthorized}; serials the authority never issued
 * get {@code unknown}.
 */
public final class OcspResponder implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OcspResponder.class.getName());
    private static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final AuthorityIndex authority;
    private final OcspSigner signer;
    private final Clock clock;
    private final Duration validity;
    private final HttpServer server;
    private final ExecutorService executor;
    private final X509CertificateHolder issuer;
    private final DigestCalculatorProvider digests = new BcDigestCalculatorProvider();

    private OcspResponder(AuthorityIndex authority, OcspSigner signer, Clock clock, Duration validity,
                          InetSocketAddress bind) throws IOException {
        this.authority = Objects.requireNonNull(authority, "Authority is required.");
        this.signer = Objects.requireNonNull(signer, "Signer is required.");
        this.clock = Objects.requireNonNull(clock, "Clock is required.");
        this.validity = Objects.requireNonNull(validity, "Validity is required.");
        try {
            this.issuer = new JcaX509CertificateHolder(authority.caCertificate());
        } catch (CertificateEncodingException e) {
            throw new IOException("the CA certificate cannot be encoded", e);
        }
        this.server = HttpServer.create(bind, 16);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ocsp-responder");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a responder on {@code bind} (port 0 picks a free port) signing with the CA key, 10 min validity. */
    public static OcspResponder start(MedicalAuthority authority, InetSocketAddress bind, Clock clock) throws IOException {
        return new OcspResponder(authority.index(), authority.ocspSigner(), clock, Duration.ofMinutes(10), bind);
    }

    /** Starts a responder for {@code authority} with the given signer and response validity. */
    public static OcspResponder start(MedicalAuthority authority, OcspSigner signer, InetSocketAddress bind, Clock clock,
                                      Duration validity) throws IOException {
        return new OcspResponder(authority.index(), signer, clock, validity, bind);
    }

    /**
     * Starts a responder that answers from an authority directory without its CA key,
     * signing with a delegated responder key ({@link MedicalAuthority#issueOcspResponder}).
     */
    public static OcspResponder start(AuthorityIndex index, OcspSigner signer, InetSocketAddress bind, Clock clock,
                                      Duration validity) throws IOException {
        return new OcspResponder(index, signer, clock, validity, bind);
    }

    /** {@code http://host:port/}, the URL to configure in certificates and in Keycloak. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops listening at once. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] request;
            if ("POST".equals(ex.getRequestMethod())) {
                try (InputStream in = ex.getRequestBody()) {
                    request = in.readNBytes(MAX_REQUEST_BYTES + 1);
                }
            } else if ("GET".equals(ex.getRequestMethod())) {
                request = fromPath(ex.getRequestURI().getRawPath());
            } else {
                ex.getResponseHeaders().add("Allow", "GET, POST");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] answer = answer(request);
            ex.getResponseHeaders().add("Content-Type", "application/ocsp-response");
            ex.getResponseHeaders().add("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "OCSP request failed: {0}", e.getClass().getSimpleName());
        }
    }

    private static byte[] fromPath(String rawPath) {
        String last = rawPath.substring(rawPath.lastIndexOf('/') + 1);
        try {
            return Base64.getDecoder().decode(URLDecoder.decode(last, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /** The DER OCSPResponse for a DER OCSPRequest; never throws. */
    public byte[] answer(byte[] der) {
        try {
            if (der.length == 0 || der.length > MAX_REQUEST_BYTES) {
                return error(OCSPRespBuilder.MALFORMED_REQUEST);
            }
            OCSPReq request;
            try {
                request = new OCSPReq(der);
            } catch (IOException | RuntimeException e) {
                return error(OCSPRespBuilder.MALFORMED_REQUEST);
            }
            Req[] items = request.getRequestList();
            if (items.length == 0) {
                return error(OCSPRespBuilder.MALFORMED_REQUEST);
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(
                    new JcaX509CertificateHolder(signer.certificate()).getSubjectPublicKeyInfo(),
                    digests.get(RespID.HASH_SHA1)));
            for (Req item : items) {
                CertificateID id = item.getCertID();
                if (!id.matchesIssuer(issuer, digests)) {
                    return error(OCSPRespBuilder.UNAUTHORIZED);
                }
                b.addResponse(id, statusOf(id), Date.from(now), Date.from(now.plus(validity)), null);
            }
            Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null) {
                b.setResponseExtensions(new Extensions(nonce));
            }
            X509CertificateHolder[] chain = signer.isDelegated()
                    ? new X509CertificateHolder[] {new JcaX509CertificateHolder(signer.certificate())}
                    : null;
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL,
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.key()), chain, Date.from(now)))
                    .getEncoded();
        } catch (IOException | OCSPException | OperatorCreationException | CertificateEncodingException
                 | RuntimeException e) {
            LOG.log(Level.WARNING, "OCSP responder internal error: {0}", e.getClass().getSimpleName());
            return error(OCSPRespBuilder.INTERNAL_ERROR);
        }
    }

    private CertificateStatus statusOf(CertificateID id) throws IOException {
        Optional<CertificateRecord> r = authority.record(id.getSerialNumber());
        if (r.isEmpty()) {
            return new UnknownStatus();
        }
        if (r.get().isRevoked()) {
            return new RevokedStatus(Date.from(r.get().revokedAt()), r.get().reason().code());
        }
        return CertificateStatus.GOOD;
    }

    private static byte[] error(int status) {
        try {
            OCSPResp resp = new OCSPRespBuilder().build(status, null);
            return resp.getEncoded();
        } catch (IOException | OCSPException e) {
            throw new IllegalStateException("an OCSP error response cannot be encoded", e);
        }
    }

    @Override
    public String toString() {
        return "OcspResponder[" + uri() + ", " + signer + "]";
    }
}
