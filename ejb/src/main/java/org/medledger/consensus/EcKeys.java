package org.medledger.consensus;

import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;

import org.medledger.platform.DomainException;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.ProtocolException;

/** SEC1 compressed encoding of a certificate's P-256 key, validated as a curve point. */
public final class EcKeys {

    private EcKeys() {
    }

    public static byte[] compressed(X509Certificate certificate) throws DomainException {
        CurveProfile curve = CurveProfile.p256();
        if (!(certificate.getPublicKey() instanceof ECPublicKey ec)) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_CERTIFICATE", "the certificate key is not EC");
        }
        try {
            return curve.encodePoint(curve.requireValid(curve.curve().createPoint(ec.getW().getAffineX(),
                    ec.getW().getAffineY())));
        } catch (ProtocolException | IllegalArgumentException e) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_CERTIFICATE",
                    "the certificate key is not a P-256 point");
        }
    }

    /** A ledger signer over a party's P-256 secret scalar (the ledger's adapter of the one ECDSA implementation). */
    public static org.medledger.ledger.crypto.Signer signer(org.medledger.protocol.common.SecretScalar key) {
        try {
            java.security.AlgorithmParameters params = java.security.AlgorithmParameters.getInstance("EC");
            params.init(new java.security.spec.ECGenParameterSpec("secp256r1"));
            java.security.spec.ECParameterSpec spec = params.getParameterSpec(java.security.spec.ECParameterSpec.class);
            java.security.interfaces.ECPrivateKey jca = (java.security.interfaces.ECPrivateKey) java.security.KeyFactory
                    .getInstance("EC").generatePrivate(new java.security.spec.ECPrivateKeySpec(key.reveal(), spec));
            return org.medledger.ledger.crypto.P256SignatureScheme.fromPrivateKey(jca);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is unavailable", e);
        }
    }
}
