package org.medledger.ledger.testing;

import java.util.concurrent.ConcurrentHashMap;

import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.SignatureScheme;

/**
 * Test-only memo of ECDSA results keyed by (key, message, signature): verification is a pure
 * function of those bytes, so replaying the same chain a thousand times need not redo it.
 */
public final class CachingScheme implements SignatureScheme {
    private final ConcurrentHashMap<Digest, Boolean> results = new ConcurrentHashMap<>();

    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        Digest k = Canonical.plain().bytes(publicKey).bytes(message).bytes(signature).sha256();
        return results.computeIfAbsent(k, x -> P256SignatureScheme.INSTANCE.verify(publicKey, message, signature));
    }

    @Override
    public boolean isValidPublicKey(byte[] publicKey) {
        return P256SignatureScheme.INSTANCE.isValidPublicKey(publicKey);
    }
}
