package org.medledger.protocol.common;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * {@code E_SEK}/{@code D_SEK} of PROTOCOLS.md §0: AES-256-GCM with a 96-bit random nonce
 * and a 128-bit tag; the wire form is {@code nonce ‖ ciphertext ‖ tag}; the associated
 * data binds label, sender, receiver and timestamp.
 */
public final class Aead {

    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;

    private Aead() {
    }

    /** Encrypts under a 32-byte session key with a fresh nonce from {@code random}. */
    public static byte[] seal(SecretBytes key, AssociatedData ad, byte[] plaintext, SecureRandom random) {
        Objects.requireNonNull(plaintext, "Plaintext is required.");
        requireKeyLength(key);
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        byte[] k = key.reveal();
        try {
            GCMModeCipher c = GCMBlockCipher.newInstance(AESEngine.newInstance());
            c.init(true, new AEADParameters(new KeyParameter(k), TAG_LENGTH * 8, nonce, ad.encode()));
            return sealInto(c, nonce, plaintext);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /**
     * Decrypts {@code nonce ‖ ciphertext ‖ tag}.
     *
     * @throws ProtocolException {@link Reason#DECRYPTION_FAILED} if anything was altered
     *         (ciphertext, tag, nonce, associated data) or the key is wrong
     */
    public static byte[] open(SecretBytes key, AssociatedData ad, byte[] sealed) throws ProtocolException {
        requireKeyLength(key);
        requireSealedLength(sealed);
        byte[] k = key.reveal();
        try {
            GCMModeCipher c = GCMBlockCipher.newInstance(AESEngine.newInstance());
            c.init(false, new AEADParameters(new KeyParameter(k), TAG_LENGTH * 8, nonceOf(sealed), ad.encode()));
            return openFrom(c, sealed);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** The nonce of a sealed message (a copy). */
    static byte[] nonceOf(byte[] sealed) {
        return Arrays.copyOfRange(sealed, 0, NONCE_LENGTH);
    }

    static void requireSealedLength(byte[] sealed) throws ProtocolException {
        if (sealed == null || sealed.length < NONCE_LENGTH + TAG_LENGTH) {
            throw new ProtocolException(Reason.DECRYPTION_FAILED, "ciphertext too short");
        }
    }

    /** Runs an initialised encrypting cipher; writes {@code nonce ‖ ciphertext ‖ tag} into one array. */
    static byte[] sealInto(GCMModeCipher c, byte[] nonce, byte[] plaintext) {
        byte[] out = new byte[NONCE_LENGTH + c.getOutputSize(plaintext.length)];
        System.arraycopy(nonce, 0, out, 0, NONCE_LENGTH);
        int n = c.processBytes(plaintext, 0, plaintext.length, out, NONCE_LENGTH);
        try {
            n += c.doFinal(out, NONCE_LENGTH + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("GCM encryption failed", e);
        }
        return n == out.length - NONCE_LENGTH ? out : Arrays.copyOf(out, NONCE_LENGTH + n);
    }

    /**
     * Runs an initialised decrypting cipher over {@code sealed} after its nonce, without copying
     * the ciphertext; the (unauthenticated) output is wiped if the tag does not match.
     */
    static byte[] openFrom(GCMModeCipher c, byte[] sealed) throws ProtocolException {
        int len = sealed.length - NONCE_LENGTH;
        byte[] out = new byte[c.getOutputSize(len)];
        try {
            int n = c.processBytes(sealed, NONCE_LENGTH, len, out, 0);
            n += c.doFinal(out, n);
            return n == out.length ? out : Arrays.copyOf(out, n);
        } catch (InvalidCipherTextException | RuntimeException e) {
            Arrays.fill(out, (byte) 0);
            throw new ProtocolException(Reason.DECRYPTION_FAILED, "authentication tag mismatch");
        }
    }

    /** Raw AES-GCM encryption (128-bit tag); any AES key length. For vectors and sealing. */
    public static byte[] encrypt(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        GCMModeCipher c = GCMBlockCipher.newInstance(AESEngine.newInstance());
        c.init(true, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce, aad));
        byte[] out = new byte[c.getOutputSize(plaintext.length)];
        int n = c.processBytes(plaintext, 0, plaintext.length, out, 0);
        try {
            c.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("GCM encryption failed", e);
        }
        return out;
    }

    /** Raw AES-GCM decryption (128-bit tag) of {@code ciphertext ‖ tag}. */
    public static byte[] decrypt(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertextAndTag) throws ProtocolException {
        try {
            GCMModeCipher c = GCMBlockCipher.newInstance(AESEngine.newInstance());
            c.init(false, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce, aad));
            byte[] out = new byte[c.getOutputSize(ciphertextAndTag.length)];
            int n = c.processBytes(ciphertextAndTag, 0, ciphertextAndTag.length, out, 0);
            n += c.doFinal(out, n);
            return n == out.length ? out : Arrays.copyOf(out, n);
        } catch (InvalidCipherTextException | RuntimeException e) {
            throw new ProtocolException(Reason.DECRYPTION_FAILED, "authentication tag mismatch");
        }
    }

    static void requireKeyLength(SecretBytes key) {
        Objects.requireNonNull(key, "Key is required.");
        if (key.length() != KEY_LENGTH) {
            throw new IllegalArgumentException("AES-256-GCM needs a 32-byte key.");
        }
    }
}
