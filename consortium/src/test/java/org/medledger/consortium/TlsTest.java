package org.medledger.consortium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.consortium.testing.Cluster;
import org.medledger.consortium.testing.World;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.tx.Transaction;

/**
 * Mutual TLS between the nodes ({@link NodeTls}): each hospital presents a certificate over its
 * certified producer key; the consortium replicates and witnesses as in the clear; a client with
 * a key the membership does not certify, or without TLS, gets no answer; a node whose certificate
 * is not over its own producer key does not start.
 */
class TlsTest {
    @TempDir
    Path dir;

    /** The JCA private key behind {@link org.medledger.ledger.crypto.P256SignatureScheme#fromSeed} (the world's hospital keys). */
    static PrivateKey seededKey(String seed) throws Exception {
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
        BigInteger d = new BigInteger(1, Digest.sha256(World.bytes(seed)).bytes()).mod(spec.getOrder().subtract(BigInteger.ONE))
                .add(BigInteger.ONE);
        return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, spec));
    }

    static PublicKey publicOf(PrivateKey key) throws Exception {
        java.security.interfaces.ECPrivateKey k = (java.security.interfaces.ECPrivateKey) key;
        org.bouncycastle.jce.spec.ECNamedCurveParameterSpec bc = org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec("secp256r1");
        org.bouncycastle.math.ec.ECPoint q = bc.getG().multiply(k.getS()).normalize();
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(q.getAffineXCoord().toBigInteger(),
                q.getAffineYCoord().toBigInteger()), k.getParams()));
    }

    static NodeTls tls(PrivateKey key, PublicKey pub, String cn) throws Exception {
        long now = System.currentTimeMillis();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(new X500Name("CN=" + cn),
                BigInteger.valueOf(now), new Date(now - 60_000), new Date(now + 86_400_000L), new X500Name("CN=" + cn), pub)
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        return new NodeTls(key, cert);
    }

    static NodeTls hospitalTls(String h) throws Exception {
        PrivateKey k = seededKey("node:" + h);
        return tls(k, publicOf(k), h);
    }

    static NodeTls outsiderTls() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        return tls(kp.getPrivate(), kp.getPublic(), "outsider");
    }

    static RaftClient client(HospitalNode anyNode, Cluster c, NodeTls tls, World w) {
        Parameters p = new Parameters();
        if (tls != null) {
            var conf = tls.config(w.consortium, w.clock);
            GrpcConfigKeys.Client.setTlsConf(p, conf);
            GrpcConfigKeys.Admin.setTlsConf(p, conf);
            GrpcConfigKeys.TLS.setConf(p, conf);
        }
        RaftProperties props = new RaftProperties();
        org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(3, TimeUnit.SECONDS));
        return RaftClient.newBuilder().setProperties(props).setParameters(p)
                .setRaftGroup(HospitalNode.group(w.consortium, c.addressesForTest())).setRetryPolicy(RetryPolicies.noRetry()).build();
    }

    @Test
    @Timeout(180)
    void hospitalsReplicateOverMutualTlsAndRefuseOutsiders() throws Exception {
        World w = new World(3);
        List<String> failures = new ArrayList<>();
        try (Cluster c = Cluster.start(w, dir, s -> {
            try {
                return s.withTls(hospitalTls(s.raftDirectory().getFileName().toString().substring("raft-".length())));
            } catch (Exception e) {
                failures.add(e.toString());
                return s;
            }
        })) {
            assertEquals(List.of(), failures);
            HospitalNode leader = c.awaitLeader(Duration.ofSeconds(60));
            List<CompletableFuture<Receipt>> fs = new ArrayList<>();
            int i = 0;
            for (HospitalNode n : c.running()) {
                for (int k = 0; k < 10; k++) {
                    fs.add(n.submit(w.registration("tls-patient-" + (i++), Role.PATIENT)));
                }
            }
            fs.forEach(CompletableFuture::join);
            c.awaitSize(30, Duration.ofSeconds(60));
            Cluster.await(Duration.ofSeconds(60), () -> c.running().stream()
                    .allMatch(n -> n.witnessedHead().map(h -> h.treeSize() == 30).orElse(false)), "a witnessed head of size 30 on every node");
            for (HospitalNode n : c.running()) {
                assertEquals(leader.replica().rootAt(30), n.replica().rootAt(30), n.id());
            }

            // An outsider's key, or no TLS at all: the nodes do not answer, nothing is admitted.
            Transaction tx = w.registration("tls-intruder", Role.PATIENT);
            for (NodeTls outsider : new NodeTls[] {outsiderTls(), null}) {
                try (RaftClient rc = client(leader, c, outsider, w)) {
                    assertThrows(Exception.class, () -> ConsortiumClient.submit(rc, tx).get(30, TimeUnit.SECONDS));
                }
            }
            // A hospital's own key still gets through (the check is the membership, not the transport's host names).
            try (RaftClient rc = client(leader, c, hospitalTls("hospital-b"), w)) {
                Receipt r = ConsortiumClient.submit(rc, w.registration("tls-through-b", Role.PATIENT)).get(30, TimeUnit.SECONDS);
                assertTrue(r.logIndex() >= 30);
            }
            // 30 + the one through hospital B: the outsiders' (valid) registration was never admitted
            assertEquals(31, leader.replica().size());
        }
    }

    @Test
    void aNodeWhoseCertificateIsNotOverItsProducerKeyDoesNotStart() throws Exception {
        World w = new World(3);
        NodeTls other = hospitalTls("hospital-b");
        ConsortiumException e = assertThrows(ConsortiumException.class, () -> Cluster.start(w, dir, s -> s.withTls(other)));
        assertEquals(ConsortiumReason.UNKNOWN_NODE, e.reason());
    }
}
