package org.medledger.protocol.abe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.pairing.PairingGroups;
import org.medledger.protocol.pairing.FixedRandom;
import org.medledger.protocol.pairing.GtElement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ABE-CHAIN costs: policy encryption and decryption for an AND of n attributes, and an
 * OR of n attributes (decryption uses one row), plus IBS. Not a unit test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AbeBenchmark {

    @Param({"1", "5", "10", "20"})
    public int attributes;

    @Param({"native", "pure-java"})
    public String implementation;

    private CombinedScheme scheme;
    private AccessPolicy andPolicy;
    private AccessPolicy orPolicy;
    private GtElement m;
    private PolicyCiphertext andCt;
    private PolicyCiphertext orCt;
    private AttributeKey key;
    private IdentityKey identityKey;
    private IbsSignature signature;
    private final byte[] message = "authorization letter".getBytes(StandardCharsets.UTF_8);

    @Setup
    public void setUp() throws ProtocolException {
        var random = FixedRandom.seeded(attributes);
        KeyGenerationCenter kgc = new KeyGenerationCenter(PairingGroups.named(implementation), random);
        scheme = new CombinedScheme(kgc.publicParameters(), random);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < attributes; i++) {
            names.add("attr" + i);
        }
        andPolicy = AccessPolicy.parse(String.join(" AND ", names));
        orPolicy = AccessPolicy.parse(String.join(" OR ", names));
        m = scheme.randomMessage();
        andCt = scheme.encrypt(andPolicy, m);
        orCt = scheme.encrypt(orPolicy, m);
        Set<String> all = new HashSet<>(names);
        key = kgc.issueAttributeKey(all);
        identityKey = kgc.issueIdentityKey("patient:bench");
        signature = scheme.sign(identityKey, message);
    }

    @Benchmark
    public PolicyCiphertext encryptAnd() {
        return scheme.encrypt(andPolicy, m);
    }

    @Benchmark
    public GtElement decryptAnd() throws ProtocolException {
        return scheme.decrypt(key, andCt);
    }

    @Benchmark
    public GtElement decryptOr() throws ProtocolException {
        return scheme.decrypt(key, orCt);
    }

    @Benchmark
    public IbsSignature ibsSign() {
        return scheme.sign(identityKey, message);
    }

    @Benchmark
    public void ibsVerify() throws ProtocolException {
        scheme.verify("patient:bench", signature, message);
    }
}
