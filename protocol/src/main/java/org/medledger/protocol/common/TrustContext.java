package org.medledger.protocol.common;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.util.encoders.Hex;

/**
 * What a party trusts, given once at construction: the KGC master public key {@code PK},
 * the KGC's certification key for directory entries, where to find entries, and who
 * decides whether a presented X.509 certificate is legal.
 */
public final class TrustContext {

    private final MasterPublicKey masterPublicKey;
    private final VerificationKey certifierKey;
    private final PartyDirectory directory;
    private final CertificateVerifier certificates;
    /** SHA-256 of entry encodings whose KGC signature verified: saves one ECDSA verify per message. */
    private final Map<String, Boolean> verifiedEntries = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_ENTRIES = 100_000;

    public TrustContext(MasterPublicKey masterPublicKey, VerificationKey certifierKey, PartyDirectory directory,
                        CertificateVerifier certificates) {
        this.masterPublicKey = Objects.requireNonNull(masterPublicKey, "PK is required.");
        this.certifierKey = Objects.requireNonNull(certifierKey, "KGC certification key is required.");
        this.directory = Objects.requireNonNull(directory, "Directory is required.");
        this.certificates = Objects.requireNonNull(certificates, "Certificate verifier is required.");
        if (!masterPublicKey.curve().equals(certifierKey.curve())) {
            throw new IllegalArgumentException("PK and certification key on different curves.");
        }
    }

    public MasterPublicKey masterPublicKey() {
        return masterPublicKey;
    }

    public VerificationKey certifierKey() {
        return certifierKey;
    }

    public PartyDirectory directory() {
        return directory;
    }

    public CertificateVerifier certificates() {
        return certificates;
    }

    /**
     * Finds and verifies a party's entry at {@code nowMillis}.
     *
     * @throws ProtocolException {@link Reason#UNKNOWN_PARTY} if absent, or the entry's
     *         verification reason (not certified by this KGC, expired, mismatched)
     */
    public DirectoryEntry resolve(String scheme, String role, String partyId, long nowMillis) throws ProtocolException {
        DirectoryEntry e = directory.find(scheme, role, partyId)
                .orElseThrow(() -> new ProtocolException(Reason.UNKNOWN_PARTY, "no directory entry for " + role));
        // The cache key covers the whole entry including its signature, so only byte-identical
        // entries skip the signature check; validity and identity are checked every time.
        String digest = Hex.toHexString(HashToScalar.sha256().digest(e.encode()));
        if (verifiedEntries.containsKey(digest)) {
            e.checkValidityAndIdentity(scheme, role, partyId, nowMillis);
        } else {
            e.verify(certifierKey, scheme, role, partyId, nowMillis);
            if (verifiedEntries.size() >= MAX_CACHED_ENTRIES) {
                verifiedEntries.clear();
            }
            verifiedEntries.put(digest, Boolean.TRUE);
        }
        return e;
    }
}
