package org.medledger.protocol.common;

import java.math.BigInteger;
import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;

/**
 * A KGC-issued partial key {@code (R, S)} with {@code S·P = R + h·PK}: EMR-AUTH's
 * {@code (R_P1, S_P)}, {@code (R_HPC1, S_HPC)}, {@code (R_D1, S_D)}, INTER-HOSPITAL's
 * {@code (R_X, S_X)}. {@code R} is public; {@code S} is the holder's secret.
 */
public final class PartialKey {

    private final ECPoint r;
    private final SecretScalar s;

    public PartialKey(ECPoint r, SecretScalar s) {
        this.r = Objects.requireNonNull(r, "R is required.");
        this.s = Objects.requireNonNull(s, "S is required.");
    }

    /** The public point {@code R}. */
    public ECPoint publicPoint() {
        return r;
    }

    /** The secret scalar {@code S}. */
    public SecretScalar secret() {
        return s;
    }

    /** SEC1 compressed {@code R}. */
    public byte[] encodedPublicPoint() {
        return s.curve().encodePoint(r);
    }

    /** Fixed-length big-endian {@code S} (a fresh copy; wipe after use). */
    public byte[] encodedSecret() {
        return s.encoded();
    }

    /**
     * Checks {@code S·P == R + h·PK}, computed as {@code S·P + (n−h)·PK == R}: both bases are
     * fixed ({@code P} and the KGC's {@code PK}), so both products use their comb tables.
     *
     * @throws ProtocolException {@link Reason#BAD_PARTIAL_KEY} if it does not hold
     */
    public static void verify(MasterPublicKey pk, ECPoint r, SecretScalar s, BigInteger h) throws ProtocolException {
        CurveProfile curve = pk.curve();
        // S·P + (n−h)·PK  ==  R   ⇔   S·P == R + h·PK
        ECPoint lhs = s.publicPoint().add(pk.multiply(curve.order().subtract(h.mod(curve.order())))).normalize();
        if (!lhs.equals(r)) {
            throw new ProtocolException(Reason.BAD_PARTIAL_KEY, "S·P != R + h·PK");
        }
    }

    /** The implicit public key {@code R + h·PK} (= {@code S·P}) that anyone can derive. */
    public static ECPoint implicitPublicKey(MasterPublicKey pk, ECPoint r, BigInteger h) {
        return r.add(pk.point().multiply(h.mod(pk.curve().order()))).normalize();
    }

    @Override
    public String toString() {
        return "PartialKey[R=" + org.bouncycastle.util.encoders.Hex.toHexString(encodedPublicPoint()) + ", S=redacted]";
    }
}
