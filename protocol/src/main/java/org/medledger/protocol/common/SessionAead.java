package org.medledger.protocol.common;

import java.security.SecureRandom;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.security.auth.Destroyable;

/**
 * {@link Aead} under one session key for the life of a session: the same wire form
 * ({@code nonce ‖ ciphertext ‖ tag}, 96-bit random nonce, 128-bit tag, associated data as in
 * {@link Aead}), with one platform AES-GCM cipher object kept for the session's messages instead
 * of one looked up per message. Every message still gets a fresh random nonce and its own
 * associated data.
 *
 * <p>The key stays in the session's {@link SecretBytes}; as in {@link Aead}, the cached platform
 * cipher keeps its own copy of the key schedule for the life of the session, which the JCA
 * offers no way to wipe. {@link #destroy()}, or destroying the session key, drops the cipher.
 * Thread-safe (one message at a time).
 */
public final class SessionAead implements Destroyable {

    private final SecretBytes key;
    private Cipher cipher;
    private boolean destroyed;

    /** Uses {@code key} (not copied: the session owns it) for AES-256-GCM. */
    public SessionAead(SecretBytes key) {
        Aead.requireKeyLength(key);
        this.key = key;
    }

    /** As {@link Aead#seal(SecretBytes, AssociatedData, byte[], SecureRandom)}. */
    public synchronized byte[] seal(AssociatedData ad, byte[] plaintext, SecureRandom random) {
        Objects.requireNonNull(plaintext, "Plaintext is required.");
        return Aead.seal(cipher(), key, ad.encode(), plaintext, random);
    }

    /**
     * As {@link Aead#open(SecretBytes, AssociatedData, byte[])}.
     *
     * @throws ProtocolException {@link Reason#DECRYPTION_FAILED} if anything was altered
     *         (ciphertext, tag, nonce, associated data) or the key is wrong
     */
    public synchronized byte[] open(AssociatedData ad, byte[] sealed) throws ProtocolException {
        Aead.requireSealedLength(sealed);
        return Aead.open(cipher(), key, ad.encode(), sealed);
    }

    private Cipher cipher() {
        if (destroyed || key.isDestroyed()) {
            cipher = null;
            throw new IllegalStateException("Session key has been destroyed.");
        }
        if (cipher == null) {
            cipher = Aead.newCipher();
        }
        return cipher;
    }

    @Override
    public synchronized void destroy() {
        cipher = null;
        destroyed = true;
    }

    @Override
    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "SessionAead[AES-256-GCM, redacted]";
    }
}
