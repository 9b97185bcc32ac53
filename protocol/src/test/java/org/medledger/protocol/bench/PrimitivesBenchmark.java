package org.medledger.protocol.bench;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdh;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.HashToScalar;
import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.Kdf;
import org.medledger.protocol.common.KemKeyPair;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.SessionAead;
import org.medledger.protocol.common.SigningKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The primitives the phases are built from, on P-256. */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class PrimitivesBenchmark {

    private final CurveProfile c = CurveProfile.p256();
    private SecureRandom random;
    private BigInteger k1;
    private BigInteger k2;
    private SecretScalar s1;
    private SecretScalar s2;
    private ECPoint q;
    private ECPoint q2;
    private MasterSecret master;
    private SigningKey signer;
    private byte[] sig;
    private KemKeyPair kem;
    private byte[] hpkeCt;
    private SecretBytes aeadKey;
    private AssociatedData ad;
    private byte[] aeadCt;
    /** A 1 KiB EMR. */
    private final byte[] msg1k = new byte[1024];
    private byte[] aeadCt1k;
    /**
     * The diagnosis plaintext M_DINF‖Cert_D‖T_D5 (eq. 49) at the size the EMR-AUTH benchmark
     * sends: 256-byte M_DINF, the benchmark's Cert_D, labelled encoding (904 bytes).
     */
    private final byte[] diagnosis = LabelledEncoder.of("EMR-AUTH/eq49/C_D5/plain").bytes(new byte[EmrAuthBench.MESSAGE_LENGTH])
            .bytes(new byte[EmrAuthBench.CERT_D_LENGTH]).int64(BenchSupport.NOW.toEpochMilli()).toByteArray();
    /** The diagnosis's associated data (label, doctor, patient, T_D5). */
    private final AssociatedData diagnosisAd = new AssociatedData("EMR-AUTH/eq49/C_D5", "D", "P", BenchSupport.NOW.toEpochMilli());
    private byte[] diagnosisCt;
    /** A session's AES-GCM, keyed once (as the consultation sessions use it for C_P2 and C_D5). */
    private SessionAead session;
    private byte[] sessionDiagnosisCt;
    /** What Freshness.requireFirstSeenSealed hashes: label, sender, T, nonce, tag (88 bytes for sender "D"). */
    private final byte[] sealedMessageId = LabelledEncoder.of("MEDLEDGER/replay/sealed-message").utf8("D")
            .int64(BenchSupport.NOW.toEpochMilli()).bytes(new byte[Aead.NONCE_LENGTH]).bytes(new byte[Aead.TAG_LENGTH]).toByteArray();
    private SecretScalar ecdhPriv;
    private final byte[] msg = new byte[256];

    @Setup
    public void setup() throws ProtocolException {
        random = BenchSupport.random(1);
        k1 = c.randomScalar(random);
        k2 = c.randomScalar(random);
        s1 = SecretScalar.of(c, k1);
        s2 = SecretScalar.of(c, k2);
        q = c.multiplyGenerator(c.randomScalar(random));
        q2 = c.multiplyGenerator(c.randomScalar(random));
        master = MasterSecret.generate(c, random);
        signer = SigningKey.generate(c, random);
        sig = Ecdsa.sign(signer, LabelledEncoder.of("bench").bytes(msg));
        kem = KemKeyPair.generate(c, random);
        hpkeCt = Hpke.seal(kem.publicKey(), "bench", null, msg, random);
        aeadKey = SecretBytes.copyOf(new byte[32]);
        ad = new AssociatedData("bench", "A", "B", 1L);
        aeadCt = Aead.seal(aeadKey, ad, msg, random);
        aeadCt1k = Aead.seal(aeadKey, ad, msg1k, random);
        diagnosisCt = Aead.seal(aeadKey, diagnosisAd, diagnosis, random);
        session = new SessionAead(SecretBytes.copyOf(new byte[32]));
        sessionDiagnosisCt = session.seal(diagnosisAd, diagnosis, random);
        ecdhPriv = SecretScalar.random(c, random);
    }

    /** T_sm, fixed base: k·P with the comb table. */
    @Benchmark
    public ECPoint scalarMultFixedBase() {
        return c.multiplyGenerator(k1);
    }

    /** T_sm, fixed base PK (the KGC key, also comb-precomputed). */
    @Benchmark
    public ECPoint scalarMultMasterKey() {
        return master.publicKey().multiply(k1);
    }

    /**
     * Points decoded afresh before every invocation (not measured): in the protocols the
     * peer's ephemeral points are always new objects, so no multiplication table is cached.
     */
    @State(Scope.Thread)
    public static class FreshPoints {
        ECPoint a;
        ECPoint b;
        private final byte[] encA;
        private final byte[] encB;

        public FreshPoints() {
            CurveProfile c = CurveProfile.p256();
            SecureRandom r = BenchSupport.random(9);
            encA = c.encodePoint(c.multiplyGenerator(c.randomScalar(r)));
            encB = c.encodePoint(c.multiplyGenerator(c.randomScalar(r)));
        }

        @Setup(org.openjdk.jmh.annotations.Level.Invocation)
        public void decode() throws ProtocolException {
            CurveProfile c = CurveProfile.p256();
            a = c.decodePoint(encA);
            b = c.decodePoint(encB);
        }
    }

    /** T_sm, variable base, secret scalar, on a fresh point: constant time (the protocol's VB). */
    @Benchmark
    public ECPoint scalarMultVariableBase(FreshPoints f) {
        return s1.multiply(f.a);
    }

    /** a·A + b·B with secret scalars, on fresh points: two constant-time multiplications (the protocol's S2). */
    @Benchmark
    public ECPoint sumOfTwoMultiplies(FreshPoints f) {
        return SecretScalar.sumOfTwoMultiplies(s1, f.a, s2, f.b);
    }

    /** k·Q with wNAF (variable time, public scalars only): what VB cost before. */
    @Benchmark
    public ECPoint scalarMultVariableBasePublic(FreshPoints f) {
        return c.multiply(f.a, k1);
    }

    /** a·A + b·B interleaved wNAF (variable time, public scalars only): what S2 cost before. */
    @Benchmark
    public ECPoint sumOfTwoMultipliesPublic(FreshPoints f) {
        return c.sumOfTwoMultiplies(f.a, k1, f.b, k2);
    }

    /** S = r + h·s mod n (KGC, partial key issue) in fixed-width Montgomery arithmetic. */
    @Benchmark
    public SecretScalar partialKeyScalar() throws ProtocolException {
        return s1.plusProduct(k2, s2);
    }

    /** T_A: point addition (normalized). */
    @Benchmark
    public ECPoint pointAddition() {
        return q.add(q2).normalize();
    }

    /** T_H as hash-to-scalar (expand_message_xmd, 48 bytes, mod n). */
    @Benchmark
    public BigInteger hashToScalar() {
        return HashToScalar.hash(c, LabelledEncoder.of("bench/H").bytes(msg));
    }

    /** T_H as a check value (HMAC-SHA256). */
    @Benchmark
    public byte[] hmac() {
        return CheckValues.mac(aeadKey, LabelledEncoder.of("bench/CHK").bytes(msg));
    }

    /** Session-key derivation (HKDF-SHA256). */
    @Benchmark
    public SecretBytes hkdf() {
        return Kdf.deriveKey(LabelledEncoder.of("bench/SEK").bytes(msg));
    }

    /** T_Sign: ECDSA sign (RFC 6979). */
    @Benchmark
    public byte[] ecdsaSign() {
        return Ecdsa.sign(signer, LabelledEncoder.of("bench").bytes(msg));
    }

    /** T_Verify: ECDSA verify. */
    @Benchmark
    public void ecdsaVerify() throws ProtocolException {
        Ecdsa.verify(signer.verificationKey(), LabelledEncoder.of("bench").bytes(msg), sig);
    }

    /** T_A (asymmetric encryption): HPKE seal. */
    @Benchmark
    public byte[] hpkeSeal() {
        return Hpke.seal(kem.publicKey(), "bench", null, msg, random);
    }

    /** T_A (asymmetric decryption): HPKE open. */
    @Benchmark
    public byte[] hpkeOpen() throws ProtocolException {
        return Hpke.open(kem, "bench", null, hpkeCt);
    }

    /** T_S: AES-256-GCM seal, 256 bytes. */
    @Benchmark
    public byte[] aeadSeal() {
        return Aead.seal(aeadKey, ad, msg, random);
    }

    /** T_S: AES-256-GCM open, 256 bytes. */
    @Benchmark
    public byte[] aeadOpen() throws ProtocolException {
        return Aead.open(aeadKey, ad, aeadCt);
    }

    /** T_S for 1 KiB (a diagnosis carrying Cert_D, an EMR). */
    @Benchmark
    public byte[] aeadSeal1k() {
        return Aead.seal(aeadKey, ad, msg1k, random);
    }

    /** T_S⁻¹ for 1 KiB. */
    @Benchmark
    public byte[] aeadOpen1k() throws ProtocolException {
        return Aead.open(aeadKey, ad, aeadCt1k);
    }

    /** T_S at the diagnosis size (904 B), a fresh key schedule per message (static {@link Aead}). */
    @Benchmark
    public byte[] aeadSealDiagnosis() {
        return Aead.seal(aeadKey, diagnosisAd, diagnosis, random);
    }

    /** T_S⁻¹ at the diagnosis size (904 B), a fresh key schedule per message. */
    @Benchmark
    public byte[] aeadOpenDiagnosis() throws ProtocolException {
        return Aead.open(aeadKey, diagnosisAd, diagnosisCt);
    }

    /** T_S at the diagnosis size (904 B) with the session's keyed AES-GCM ({@link SessionAead}). */
    @Benchmark
    public byte[] sessionAeadSealDiagnosis() {
        return session.seal(diagnosisAd, diagnosis, random);
    }

    /** T_S⁻¹ at the diagnosis size (904 B) with the session's keyed AES-GCM. */
    @Benchmark
    public byte[] sessionAeadOpenDiagnosis() throws ProtocolException {
        return session.open(diagnosisAd, sessionDiagnosisCt);
    }

    /** SHA-256 of a sealed message's replay identifier (88 bytes), as the replay guard records it. */
    @Benchmark
    public byte[] sha256ReplayId() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(sealedMessageId);
    }

    /** ECDH with point validation, fresh peer point. */
    @Benchmark
    public SecretBytes ecdh(FreshPoints f) throws ProtocolException {
        return Ecdh.agree(ecdhPriv, f.a);
    }

    /** Point decoding with full validation (compressed, needs a square root). */
    @Benchmark
    public ECPoint decodeCompressedPoint() throws ProtocolException {
        return c.decodePoint(c.encodePoint(q));
    }
}
