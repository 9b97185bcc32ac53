package org.medledger.protocol.common;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import javax.security.auth.Destroyable;

import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * {@link Aead} under one session key for the life of a session: the same wire form
 * ({@code nonce ‖ ciphertext ‖ tag}, 96-bit random nonce, 128-bit tag, associated data as in
 * {@link Aead}), but the AES key schedule and the GHASH multiplication table are computed once,
 * on first use, and reused for every later message of the session (re-initialising Bouncy
 * Castle's GCM with a new nonce and no key keeps them). Every message still gets a fresh random
 * nonce and its own associated data.
 *
 * <p>The key stays in the session's {@link SecretBytes}; this object holds only the keyed
 * cipher. {@link #destroy()} re-keys the cipher with zeros and wipes its copy of the key (best
 * effort: the JVM may have moved or copied the arrays). Thread-safe (one message at a time).
 */
public final class SessionAead implements Destroyable {

    private final SecretBytes key;
    private GCMModeCipher cipher;
    private KeyParameter keyParameter;
    private boolean destroyed;

    /** Uses {@code key} (not copied: the session owns it) for AES-256-GCM. */
    public SessionAead(SecretBytes key) {
        Aead.requireKeyLength(key);
        this.key = key;
    }

    /** As {@link Aead#seal(SecretBytes, AssociatedData, byte[], SecureRandom)}. */
    public synchronized byte[] seal(AssociatedData ad, byte[] plaintext, SecureRandom random) {
        Objects.requireNonNull(plaintext, "Plaintext is required.");
        byte[] nonce = new byte[Aead.NONCE_LENGTH];
        random.nextBytes(nonce);
        GCMModeCipher c = keyed(true, nonce, ad);
        return Aead.sealInto(c, nonce, plaintext);
    }

    /**
     * As {@link Aead#open(SecretBytes, AssociatedData, byte[])}.
     *
     * @throws ProtocolException {@link Reason#DECRYPTION_FAILED} if anything was altered
     *         (ciphertext, tag, nonce, associated data) or the key is wrong
     */
    public synchronized byte[] open(AssociatedData ad, byte[] sealed) throws ProtocolException {
        Aead.requireSealedLength(sealed);
        GCMModeCipher c = keyed(false, Aead.nonceOf(sealed), ad);
        return Aead.openFrom(c, sealed);
    }

    /** The cipher initialised for one message; keyed from the session key on first use. */
    private GCMModeCipher keyed(boolean forEncryption, byte[] nonce, AssociatedData ad) {
        if (destroyed || key.isDestroyed()) {
            throw new IllegalStateException("Session key has been destroyed.");
        }
        byte[] aad = ad.encode();
        if (cipher == null) {
            byte[] k = key.reveal();
            try {
                KeyParameter kp = new KeyParameter(k);
                GCMModeCipher c = GCMBlockCipher.newInstance(AESEngine.newInstance());
                c.init(forEncryption, new AEADParameters(kp, Aead.TAG_LENGTH * 8, nonce, aad));
                keyParameter = kp;
                cipher = c;
            } finally {
                Arrays.fill(k, (byte) 0);
            }
        } else {
            // No key: Bouncy Castle keeps the key schedule and the GHASH table of the last key.
            cipher.init(forEncryption, new AEADParameters(null, Aead.TAG_LENGTH * 8, nonce, aad));
        }
        return cipher;
    }

    @Override
    public synchronized void destroy() {
        if (cipher != null) {
            // Overwrite the round keys and the GHASH table, then the key copy the cipher keeps.
            cipher.init(true, new AEADParameters(new KeyParameter(new byte[Aead.KEY_LENGTH]), Aead.TAG_LENGTH * 8,
                    new byte[Aead.NONCE_LENGTH]));
            Arrays.fill(keyParameter.getKey(), (byte) 0);
            cipher = null;
            keyParameter = null;
        }
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
