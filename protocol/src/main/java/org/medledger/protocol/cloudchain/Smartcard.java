package org.medledger.protocol.cloudchain;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;

/**
 * The patient's smartcard of CLOUD-CHAIN: keeps {@code {A_i, B_i, C_i, D_i}} (seed 001,
 * §5.1.1 step 3), checks the password ({@code D_i* == D_i}, §5.2 step 1), counts failures
 * and locks after {@code maxFailures} consecutive ones. Not thread-safe (one card).
 */
public final class Smartcard {

    public static final int DEFAULT_MAX_FAILURES = 3;
    /** Default PBKDF2 iteration count for {@code HPW_i}. */
    public static final int DEFAULT_PASSWORD_ITERATIONS = 100_000;

    static final String LABEL = "CLOUD-CHAIN/Smartcard";

    private final CurveProfile curve;
    private final SecretBytes aMasked;
    private final SecretBytes bMasked;
    private final SecretBytes cMasked;
    private final SecretBytes dCheck;
    private final int iterations;
    private final int maxFailures;
    private int failures;

    private Smartcard(CurveProfile curve, SecretBytes a, SecretBytes b, SecretBytes c, SecretBytes d, int iterations,
                      int maxFailures, int failures) {
        this.curve = curve;
        this.aMasked = a;
        this.bMasked = b;
        this.cMasked = c;
        this.dCheck = d;
        this.iterations = iterations;
        this.maxFailures = maxFailures;
        this.failures = failures;
    }

    /**
     * Patient registration step 3 (seed 001, §5.1.1 step 3): from {@code a_i} and the
     * NA-issued {@code x_i}, picks {@code r_i} and writes {@code A_i..D_i}; {@code x_i} is
     * not kept in clear.
     */
    static Personalized personalize(CurveProfile curve, String idI, SecretBytes pw, SecretBytes aI, SecretBytes xI,
                                    SecureRandom random, int iterations, int maxFailures) {
        if (iterations < 1 || maxFailures < 1) {
            throw new IllegalArgumentException("iterations and maxFailures must be positive");
        }
        SecretScalar rI = SecretScalar.random(curve, random);
        byte[] a = aI.reveal();
        byte[] x = xI.reveal();
        byte[] r = rI.encoded();
        try {
            // HPW_i = h(ID_i‖PW_i)  (seed 001, §5.1.1 step 3; slow hash, see docs)
            byte[] hpw = CloudChainHashes.hpw(idI, pw, iterations);
            // A_i = HPW_i ⊕ a_i
            byte[] aM = CloudChainHashes.xor(hpw, a);
            // B_i = h(ID_i‖PW_i‖a_i) ⊕ r_i
            byte[] bM = CloudChainHashes.xor(maskB(idI, pw, a, r.length), r);
            // C_i = h(a_i‖r_i) ⊕ x_i
            byte[] cM = CloudChainHashes.xor(maskC(a, r), x);
            // D_i = h(a_i‖r_i‖x_i)
            byte[] d = checkD(a, r, x);
            // PK_i = r_i·G
            ECPoint pkI = rI.publicPoint();
            Arrays.fill(hpw, (byte) 0);
            Smartcard card = new Smartcard(curve, SecretBytes.copyOf(aM), SecretBytes.copyOf(bM), SecretBytes.copyOf(cM),
                    SecretBytes.copyOf(d), iterations, maxFailures, 0);
            return new Personalized(card, pkI);
        } finally {
            Arrays.fill(a, (byte) 0);
            Arrays.fill(x, (byte) 0);
            Arrays.fill(r, (byte) 0);
            rI.destroy();
        }
    }

    /** The card and the patient's public key {@code PK_i = r_i·G}. */
    record Personalized(Smartcard card, ECPoint pkI) {
    }

    private static byte[] maskB(String idI, SecretBytes pw, byte[] a, int length) {
        return CloudChainHashes.mask(LabelledEncoder.of("CLOUD-CHAIN/5.1.1/B_i").utf8(idI).secret(pw).bytes(a), length);
    }

    private static byte[] maskC(byte[] a, byte[] r) {
        return CloudChainHashes.h(LabelledEncoder.of("CLOUD-CHAIN/5.1.1/C_i").bytes(a).bytes(r));
    }

    private static byte[] checkD(byte[] a, byte[] r, byte[] x) {
        return CloudChainHashes.h(LabelledEncoder.of("CLOUD-CHAIN/5.1.1/D_i").bytes(a).bytes(r).bytes(x));
    }

    /** {@code HID_i = h(a_i‖ID_i)}  (seed 001, §5.1.1 step 1). */
    static byte[] hid(byte[] a, String idI) {
        return CloudChainHashes.h(LabelledEncoder.of("CLOUD-CHAIN/5.1.1/HID_i").bytes(a).utf8(idI));
    }

    /**
     * Authentication step 1, card part (seed 001, §5.2 step 1): recovers
     * {@code a_i, HID_i, r_i, x_i} and requires {@code D_i* == D_i}.
     *
     * @throws ProtocolException {@link Reason#CARD_LOCKED} once locked (even with the right
     *         password), {@link Reason#WRONG_PASSWORD} on a failed check (counted)
     */
    CardSecrets unlock(String idI, SecretBytes pw) throws ProtocolException {
        if (isLocked()) {
            throw new ProtocolException(Reason.CARD_LOCKED, "smartcard is locked");
        }
        // HPW_i = h(ID_i‖PW_i), a_i = HPW_i ⊕ A_i
        byte[] hpw = CloudChainHashes.hpw(idI, pw, iterations);
        byte[] a = CloudChainHashes.xor(hpw, aMasked.reveal());
        byte[] bM = bMasked.reveal();
        // r_i = h(ID_i‖PW_i‖a_i) ⊕ B_i
        byte[] r = CloudChainHashes.xor(maskB(idI, pw, a, bM.length), bM);
        // x_i = h(a_i‖r_i) ⊕ C_i
        byte[] x = CloudChainHashes.xor(maskC(a, r), cMasked.reveal());
        // D_i* = h(a_i‖r_i‖x_i) ?= D_i
        byte[] dStar = checkD(a, r, x);
        try {
            if (!dCheck.equalsBytes(dStar)) {
                failures++;
                if (isLocked()) {
                    throw new ProtocolException(Reason.CARD_LOCKED, "smartcard locked after repeated failures");
                }
                throw new ProtocolException(Reason.WRONG_PASSWORD, "identity or password wrong");
            }
            failures = 0;
            // HID_i = h(a_i‖ID_i)
            byte[] hid = hid(a, idI);
            SecretScalar rI = SecretScalar.of(curve, new BigInteger(1, r));
            return new CardSecrets(SecretBytes.copyOf(a), hid, rI, SecretBytes.copyOf(x));
        } finally {
            Arrays.fill(hpw, (byte) 0);
            Arrays.fill(a, (byte) 0);
            Arrays.fill(r, (byte) 0);
            Arrays.fill(x, (byte) 0);
            Arrays.fill(bM, (byte) 0);
        }
    }

    public boolean isLocked() {
        return failures >= maxFailures;
    }

    public int failedAttempts() {
        return failures;
    }

    public CurveProfile curve() {
        return curve;
    }

    /** The card's stored state (for the device's encrypted key store). */
    public byte[] export() {
        return LabelledEncoder.of(LABEL).utf8(curve.name()).secret(aMasked).secret(bMasked).secret(cMasked).secret(dCheck)
                .int32(iterations).int32(maxFailures).int32(failures).toByteArray();
    }

    /** Restores a card exported with {@link #export()}. */
    public static Smartcard restore(byte[] exported) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(exported, LABEL);
        CurveProfile curve = CurveProfile.named(d.utf8());
        SecretBytes a = SecretBytes.copyOf(d.bytes(CloudChainHashes.LENGTH));
        SecretBytes b = SecretBytes.copyOf(d.bytes(curve.scalarLength()));
        SecretBytes c = SecretBytes.copyOf(d.bytes(CloudChainHashes.LENGTH));
        SecretBytes dd = SecretBytes.copyOf(d.bytes(CloudChainHashes.LENGTH));
        int it = d.int32();
        int max = d.int32();
        int fails = d.int32();
        d.finish();
        if (it < 1 || max < 1 || fails < 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "card parameters out of range");
        }
        return new Smartcard(curve, a, b, c, dd, it, max, fails);
    }

    /** Constant-time comparison helper for tests of stored values. */
    static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    @Override
    public String toString() {
        return "Smartcard[" + curve.name() + ", failures=" + failures + "/" + maxFailures + (isLocked() ? ", locked" : "") + "]";
    }

    static void requireNonNull(Object o, String what) {
        Objects.requireNonNull(o, what);
    }
}
