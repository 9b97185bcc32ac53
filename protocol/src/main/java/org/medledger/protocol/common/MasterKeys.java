package org.medledger.protocol.common;

import java.math.BigInteger;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;

/**
 * Builds the KGC master keys from JCA key objects (the server loads them from a PKCS#12
 * key store). The JCA curve must equal the profile's curve, and the private key must
 * match the public key.
 */
public final class MasterKeys {

    private MasterKeys() {
    }

    /** {@code PK} from a JCA public key. */
    public static MasterPublicKey publicKeyFromJca(CurveProfile curve, ECPublicKey jca) throws ProtocolException {
        Objects.requireNonNull(jca, "Public key is required.");
        requireSameCurve(curve, jca.getParams());
        ECPoint p;
        try {
            p = curve.curve().createPoint(jca.getW().getAffineX(), jca.getW().getAffineY());
        } catch (RuntimeException e) {
            throw new ProtocolException(Reason.BAD_POINT, "public key is not on the curve");
        }
        return MasterPublicKey.of(curve, p);
    }

    /** The master secret {@code s} from a JCA private key, checked against {@code PK}. */
    public static MasterSecret fromJca(CurveProfile curve, ECPrivateKey priv, ECPublicKey pub) throws ProtocolException {
        Objects.requireNonNull(priv, "Private key is required.");
        requireSameCurve(curve, priv.getParams());
        MasterPublicKey pk = publicKeyFromJca(curve, pub);
        SecretScalar s = SecretScalar.of(curve, priv.getS());
        if (!s.publicPoint().equals(pk.point())) {
            s.destroy();
            throw new ProtocolException(Reason.BAD_PARAMETER, "private and public key do not match");
        }
        return new MasterSecret(s, pk);
    }

    private static void requireSameCurve(CurveProfile curve, ECParameterSpec spec) throws ProtocolException {
        Objects.requireNonNull(curve, "Curve is required.");
        if (spec == null || !(spec.getCurve().getField() instanceof ECFieldFp)) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "key is not on a prime-field curve");
        }
        BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
        ECPoint g = curve.generator();
        boolean same = p.equals(curve.curve().getField().getCharacteristic())
                && spec.getCurve().getA().equals(curve.curve().getA().toBigInteger())
                && spec.getCurve().getB().equals(curve.curve().getB().toBigInteger())
                && spec.getOrder().equals(curve.order())
                && spec.getGenerator().getAffineX().equals(g.getAffineXCoord().toBigInteger())
                && spec.getGenerator().getAffineY().equals(g.getAffineYCoord().toBigInteger());
        if (!same) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "key belongs to another curve");
        }
    }
}
