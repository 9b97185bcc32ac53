package org.medledger.protocol.abe;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.medledger.protocol.common.KemKeyPair;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.pairing.FixedRandom;
import org.medledger.protocol.pairing.PairingGroup;
import org.medledger.protocol.pairing.PairingGroups;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The compute of each server-side ABE-CHAIN phase as the EJBs run it (docs/benchmarks.md), for a
 * 2 KiB record under a 5-attribute AND policy: the KGC's Setup from its key-store seed, an
 * attribute key issued and sealed to its holder, the endorsing node's admission of a letter, the
 * hospital's step (hybrid encryption + IBS), the endorsement of a pair, and the consumer's check
 * and decryption on its device. Not a unit test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AbeServedPhasesBenchmark {

    @Param({"native", "pure-java"})
    public String implementation;

    static final String POLICY = "insurer AND claims AND region_eu AND plan_gold AND audit_ok";

    private PairingGroup group;
    private SecureRandom random;
    private SecretBytes seed;
    private KeyGenerationCenter kgc;
    private PublicParameters pp;
    private KemKeyPair holderKem;
    private Hospital hospital;
    private Endorser endorser;
    private AuthorizationLetter letter;
    private RecordSubmission submission;
    private EndorsedRecord endorsed;
    private DataConsumer consumer;
    private byte[] record;

    @Setup
    public void setUp() throws ProtocolException {
        group = PairingGroups.named(implementation);
        random = FixedRandom.seeded(5);
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) 7);
        seed = SecretBytes.copyOf(s);
        kgc = KeyGenerationCenter.fromSeed(group, random, seed);
        pp = kgc.publicParameters();
        holderKem = KemKeyPair.generate(CurveProfile.p256(), random);
        CombinedScheme scheme = new CombinedScheme(pp, random);
        Patient patient = new Patient(kgc.issueIdentityKey("patient-1"), scheme, Clock.systemUTC());
        hospital = new Hospital(kgc.issueIdentityKey("hpc-1"), scheme, Clock.systemUTC(), random);
        endorser = new Endorser(CombinedScheme.forVerification(pp), Clock.systemUTC());
        letter = patient.authorize(new RecordDescriptor("claim-1", "patient-1", "hpc-1", "claim"), POLICY, Duration.ofDays(1));
        record = new byte[2048];
        Arrays.fill(record, (byte) 'x');
        submission = hospital.submit(letter, record);
        endorsed = endorser.endorse(letter, submission);
        consumer = new DataConsumer(kgc.issueAttributeKey(Set.of("insurer", "claims", "region_eu", "plan_gold", "audit_ok")),
                CombinedScheme.forVerification(pp));
    }

    /** The KGC per request: α, a from the seed, PP (one pairing). */
    @Benchmark
    public PublicParameters kgcSetupFromSeed() {
        return KeyGenerationCenter.fromSeed(group, random, seed).publicParameters();
    }

    /** KeyGen_ATT for 5 attributes, encoded and HPKE-sealed to the holder. */
    @Benchmark
    public byte[] issueAttributeKey() {
        byte[] k = kgc.issueAttributeKey(Set.of("insurer", "claims", "region_eu", "plan_gold", "audit_ok")).toBytes();
        return KeyDelivery.seal(holderKem.publicKey(), "insurer-1", KeyDelivery.Kind.ATTRIBUTE, k, random);
    }

    /** The endorsing node's admission of a letter: decode (subgroup checks) and verify σ_P. */
    @Benchmark
    public void admitLetter() throws ProtocolException {
        endorser.admitLetter(AuthorizationLetter.decode(group, letter.toBytes()));
    }

    /** The hospital's step: Encrypt_ATT of a random m (5 rows), HKDF, AES-GCM, IBS sign. */
    @Benchmark
    public RecordSubmission hospitalSubmit() throws ProtocolException {
        return hospital.submit(letter, record);
    }

    /** The endorsement of a pair: decode the submission, both IBS verifications, policy equality. */
    @Benchmark
    public EndorsedRecord endorse() throws ProtocolException {
        return endorser.endorse(letter, RecordSubmission.decode(group, submission.toBytes()));
    }

    /** The consumer's device: Decrypt_ATT (7 Miller loops, one final exponentiation), HKDF, AES-GCM. */
    @Benchmark
    public byte[] consumerOpen() throws ProtocolException {
        return consumer.open(endorsed);
    }
}
