package org.medledger.protocol.common;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * {@code E_PUK_X}/{@code D_PRK_X} of PROTOCOLS.md §0: HPKE base mode (RFC 9180) with
 * DHKEM(P-256, HKDF-SHA256), HKDF-SHA256 and AES-256-GCM (on P-384: DHKEM(P-384,
 * HKDF-SHA384), HKDF-SHA384, AES-256-GCM); {@code info} = the message label. The wire
 * form is {@code enc ‖ ct} with {@code enc} the fixed-length uncompressed ephemeral key.
 * The ephemeral key comes from the caller's {@link SecureRandom}.
 */
public final class Hpke {

    private Hpke() {
    }

    private static HPKE suite(CurveProfile curve) {
        if (curve.order().bitLength() > 256) {
            return new HPKE(HPKE.mode_base, HPKE.kem_P384_SHA384, HPKE.kdf_HKDF_SHA384, HPKE.aead_AES_GCM256);
        }
        return new HPKE(HPKE.mode_base, HPKE.kem_P256_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM256);
    }

    /** Single-shot seal to {@code recipient}; {@code aad} may be empty. */
    public static byte[] seal(KemPublicKey recipient, String label, byte[] aad, byte[] plaintext, SecureRandom random) {
        Objects.requireNonNull(recipient, "Recipient is required.");
        Objects.requireNonNull(plaintext, "Plaintext is required.");
        CurveProfile curve = recipient.curve();
        HPKE hpke = suite(curve);
        SecretScalar e = SecretScalar.random(curve, random);
        try {
            AsymmetricCipherKeyPair ephemeral = new AsymmetricCipherKeyPair(
                    new ECPublicKeyParameters(e.publicPoint(), curve.domain()),
                    new ECPrivateKeyParameters(e.reveal(), curve.domain()));
            HPKEContextWithEncapsulation ctx = hpke.setupBaseS(
                    new ECPublicKeyParameters(recipient.point(), curve.domain()),
                    label.getBytes(StandardCharsets.UTF_8), ephemeral);
            byte[] enc = ctx.getEncapsulation();
            byte[] ct = ctx.seal(aad == null ? new byte[0] : aad, plaintext);
            byte[] out = new byte[enc.length + ct.length];
            System.arraycopy(enc, 0, out, 0, enc.length);
            System.arraycopy(ct, 0, out, enc.length, ct.length);
            return out;
        } catch (org.bouncycastle.crypto.InvalidCipherTextException ex) {
            throw new IllegalStateException("HPKE seal failed", ex);
        } finally {
            e.destroy();
        }
    }

    /**
     * Single-shot open.
     *
     * @throws ProtocolException {@link Reason#BAD_POINT} if the encapsulated key is invalid,
     *         {@link Reason#DECRYPTION_FAILED} if the ciphertext, label or aad do not match
     */
    public static byte[] open(KemKeyPair recipient, String label, byte[] aad, byte[] sealed) throws ProtocolException {
        Objects.requireNonNull(recipient, "Recipient is required.");
        CurveProfile curve = recipient.curve();
        HPKE hpke = suite(curve);
        int encLength = hpke.getEncSize();
        if (sealed == null || sealed.length < encLength + Aead.TAG_LENGTH) {
            throw new ProtocolException(Reason.DECRYPTION_FAILED, "HPKE ciphertext too short");
        }
        byte[] enc = Arrays.copyOfRange(sealed, 0, encLength);
        // Validate the ephemeral key ourselves: uncompressed, on the curve, not the identity.
        if (enc[0] != 0x04) {
            throw new ProtocolException(Reason.BAD_POINT, "HPKE encapsulation is not an uncompressed point");
        }
        curve.decodePointAnyFormat(enc);
        byte[] ct = Arrays.copyOfRange(sealed, encLength, sealed.length);
        try {
            AsymmetricCipherKeyPair kp = new AsymmetricCipherKeyPair(
                    new ECPublicKeyParameters(recipient.publicKey().point(), curve.domain()),
                    new ECPrivateKeyParameters(recipient.secret().reveal(), curve.domain()));
            HPKEContext ctx = hpke.setupBaseR(enc, kp, label.getBytes(StandardCharsets.UTF_8));
            return ctx.open(aad == null ? new byte[0] : aad, ct);
        } catch (org.bouncycastle.crypto.InvalidCipherTextException | RuntimeException ex) {
            throw new ProtocolException(Reason.DECRYPTION_FAILED, "HPKE open failed");
        }
    }
}
