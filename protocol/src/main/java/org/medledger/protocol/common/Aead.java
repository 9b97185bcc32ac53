package org.medledger.protocol.common;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code E_SEK}/{@code D_SEK} of PROTOCOLS.md §0: AES-256-GCM with a 96-bit random nonce
 * and a 128-bit tag; the wire form is {@code nonce ‖ ciphertext ‖ tag}; the associated
 * data binds label, sender, receiver and timestamp.
 *
 * <p>Runs on the Java platform's own AES-GCM (the {@code SunJCE} provider, whatever other
 * providers are installed; only a platform without SunJCE falls back to the default provider):
 * on x86-64 and AArch64 HotSpot executes it with the processor's AES and carry-less-multiply
 * instructions, which are constant-time — unlike a table-driven AES, whose memory accesses
 * depend on key and data — and 3–5× faster (docs/benchmarks.md, run G). {@link Hpke} still
 * uses Bouncy Castle's HPKE, whose AES-GCM is table-driven.
 *
 * <p>The key is copied out of its {@link SecretBytes} only for the call and that copy is wiped;
 * the provider's {@code SecretKeySpec} and cipher keep their own copies (not wipeable through the
 * JCA) until they are collected.
 */
public final class Aead {

    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final String PROVIDER = "SunJCE";

    private Aead() {
    }

    /** A new AES-GCM cipher of the platform provider (the default provider's if there is no SunJCE). */
    static Cipher newCipher() {
        try {
            try {
                return Cipher.getInstance(TRANSFORMATION, PROVIDER);
            } catch (NoSuchProviderException e) {
                return Cipher.getInstance(TRANSFORMATION);
            }
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is required by the Java platform", e);
        }
    }

    /** Encrypts under a 32-byte session key with a fresh nonce from {@code random}. */
    public static byte[] seal(SecretBytes key, AssociatedData ad, byte[] plaintext, SecureRandom random) {
        Objects.requireNonNull(plaintext, "Plaintext is required.");
        requireKeyLength(key);
        return seal(newCipher(), key, ad.encode(), plaintext, random);
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
        return open(newCipher(), key, ad.encode(), sealed);
    }

    /** Seals with {@code c}: a fresh nonce, {@code nonce ‖ ciphertext ‖ tag} in one array. */
    static byte[] seal(Cipher c, SecretBytes key, byte[] aad, byte[] plaintext, SecureRandom random) {
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        byte[] out = new byte[NONCE_LENGTH + plaintext.length + TAG_LENGTH];
        System.arraycopy(nonce, 0, out, 0, NONCE_LENGTH);
        byte[] k = key.reveal();
        try {
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            c.updateAAD(aad);
            int n = c.doFinal(plaintext, 0, plaintext.length, out, NONCE_LENGTH);
            if (n != plaintext.length + TAG_LENGTH) {
                throw new IllegalStateException("GCM produced " + n + " bytes");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("GCM encryption failed", e);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /**
     * Opens {@code sealed} with {@code c} without copying the ciphertext; nothing is returned
     * unless the tag matches.
     */
    static byte[] open(Cipher c, SecretBytes key, byte[] aad, byte[] sealed) throws ProtocolException {
        byte[] k = key.reveal();
        try {
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, sealed, 0, NONCE_LENGTH));
            c.updateAAD(aad);
            return c.doFinal(sealed, NONCE_LENGTH, sealed.length - NONCE_LENGTH);
        } catch (AEADBadTagException e) {
            throw new ProtocolException(Reason.DECRYPTION_FAILED, "authentication tag mismatch");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new ProtocolException(Reason.DECRYPTION_FAILED, "ciphertext rejected");
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    static void requireSealedLength(byte[] sealed) throws ProtocolException {
        if (sealed == null || sealed.length < NONCE_LENGTH + TAG_LENGTH) {
            throw new ProtocolException(Reason.DECRYPTION_FAILED, "ciphertext too short");
        }
    }

    /** Raw AES-GCM encryption (128-bit tag), any AES key length: for test vectors. */
    static byte[] encrypt(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        try {
            Cipher c = newCipher();
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            c.updateAAD(aad);
            return c.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("GCM encryption failed", e);
        }
    }

    /** Raw AES-GCM decryption (128-bit tag) of {@code ciphertext ‖ tag}: for test vectors. */
    static byte[] decrypt(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertextAndTag) throws ProtocolException {
        try {
            Cipher c = newCipher();
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            c.updateAAD(aad);
            return c.doFinal(ciphertextAndTag);
        } catch (GeneralSecurityException | RuntimeException e) {
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
