package org.medledger.consortium;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import org.apache.ratis.grpc.GrpcTlsConfig;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.protocol.common.CurveProfile;

/**
 * Mutual TLS between hospital nodes (Ratis gRPC: Raft traffic, submissions, co-signatures, block
 * fetches). A node presents its hospital's certificate over its block-producer key; it accepts a
 * peer — as server and as client — only if the peer's certificate is over the producer key the
 * membership certifies for one of its hospitals, valid now. The handshake proves the peer holds
 * that key, so the membership is the only trust anchor: no certificate authority, no host names.
 */
public final class NodeTls {

    private final PrivateKey key;
    private final X509Certificate certificate;

    /** {@code certificate} must be over the public key of {@code key}: the hospital's block-producer key. */
    public NodeTls(PrivateKey key, X509Certificate certificate) {
        this.key = Objects.requireNonNull(key);
        this.certificate = Objects.requireNonNull(certificate);
    }

    /** The certificate's key as the membership encodes keys (SEC1 compressed P-256), or null if it is not a P-256 key. */
    static byte[] encodedKey(X509Certificate c) {
        if (!(c.getPublicKey() instanceof ECPublicKey ec)) {
            return null;
        }
        CurveProfile curve = CurveProfile.p256();
        try {
            return curve.encodePoint(curve.requireValid(curve.curve().createPoint(ec.getW().getAffineX(), ec.getW().getAffineY())));
        } catch (RuntimeException | org.medledger.protocol.common.ProtocolException e) {
            return null;
        }
    }

    /** Refuses to run hospital {@code id} with a certificate that is not over its certified producer key. */
    void requireOwn(Consortium consortium, String id, long now) {
        MemberCertificate own = consortium.hospital(id, now);
        byte[] k = encodedKey(certificate);
        if (k == null || !Arrays.equals(k, own.publicKey().toArray())) {
            throw new ConsortiumException(ConsortiumReason.UNKNOWN_NODE, "the TLS certificate of " + id + " is not over its producer key");
        }
    }

    GrpcTlsConfig config(Consortium consortium, Clock clock) {
        try {
            char[] pw = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, pw);
            ks.setKeyEntry("node", key, pw, new java.security.cert.Certificate[] {certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            KeyManager km = kmf.getKeyManagers()[0];
            return new GrpcTlsConfig(km, new MembershipTrust(consortium, clock), true);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("the node's TLS key does not load: " + e.getClass().getSimpleName());
        }
    }

    /** Trusts exactly the hospitals' certified producer keys, valid now; for server and client certificates alike. */
    static final class MembershipTrust extends X509ExtendedTrustManager {
        private final Consortium consortium;
        private final Clock clock;

        MembershipTrust(Consortium consortium, Clock clock) {
            this.consortium = consortium;
            this.clock = clock;
        }

        /** The hospital whose certified key the chain's leaf carries. */
        String hospitalOf(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("no certificate");
            }
            byte[] k = encodedKey(chain[0]);
            long now = clock.millis();
            if (k != null) {
                for (MemberCertificate p : consortium.anchors().producers()) {
                    if (consortium.isHospital(p.memberId()) && p.validAt(now) && Arrays.equals(k, p.publicKey().toArray())) {
                        return p.memberId();
                    }
                }
            }
            throw new CertificateException("the certificate's key is not a hospital's producer key in the membership");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            hospitalOf(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            hospitalOf(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            hospitalOf(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            hospitalOf(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            hospitalOf(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            hospitalOf(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
