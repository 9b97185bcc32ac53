package org.medledger.ledger.log;

import java.util.Objects;

import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.CanonicalReader;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.crypto.SignatureScheme;
import org.medledger.ledger.crypto.Signer;

/**
 * The producer's signature over (log id, tree size, root hash, timestamp, signer, key id): a
 * checkpoint anyone can hold. The log id names the deployment's log, so a head of one log is
 * never taken for another's; the key id (SHA-256 of the signer's SEC1 public key) names the key
 * that signed, so a verifier knows which certificate to check it against after a key rollover.
 */
public record SignedTreeHead(String logId, long treeSize, Digest rootHash, long timestamp, String signer, Digest keyId,
                             Bytes signature) {
    private static final String LABEL = "MEDLEDGER/sth/v2";

    public SignedTreeHead {
        Objects.requireNonNull(logId);
        Objects.requireNonNull(rootHash);
        Objects.requireNonNull(signer);
        Objects.requireNonNull(keyId);
        Objects.requireNonNull(signature);
    }

    /** SHA-256 of a SEC1 public key: the key id a tree head carries. */
    public static Digest keyId(byte[] publicKey) {
        return Digest.sha256(publicKey);
    }

    public static byte[] signingBytes(String logId, long treeSize, Digest rootHash, long timestamp, String signer, Digest keyId) {
        return Canonical.label(LABEL).str(logId).u64(treeSize).digest(rootHash).u64(timestamp).str(signer).digest(keyId).toBytes();
    }

    public static SignedTreeHead sign(String logId, long treeSize, Digest rootHash, long timestamp, String signerId, Signer signer) {
        Digest keyId = keyId(signer.publicKey());
        return new SignedTreeHead(logId, treeSize, rootHash, timestamp, signerId, keyId,
                Bytes.of(signer.sign(signingBytes(logId, treeSize, rootHash, timestamp, signerId, keyId))));
    }

    /** The key id names {@code publicKey} and the signature verifies under it. */
    public boolean verify(Bytes publicKey, SignatureScheme scheme) {
        return keyId.equals(keyId(publicKey.toArray())) && scheme.verify(publicKey.toArray(),
                signingBytes(logId, treeSize, rootHash, timestamp, signer, keyId), signature.toArray());
    }

    public byte[] encode() {
        return Canonical.label(LABEL + "/wire").str(logId).u64(treeSize).digest(rootHash).u64(timestamp).str(signer).digest(keyId)
                .bytes(signature.toArray()).toBytes();
    }

    public static SignedTreeHead decode(byte[] b) {
        CanonicalReader r = new CanonicalReader(b).expectLabel(LABEL + "/wire");
        SignedTreeHead s = new SignedTreeHead(r.str(), r.u64(), r.digest(), r.u64(), r.str(), r.digest(), Bytes.of(r.bytes()));
        r.expectEnd();
        return s;
    }
}
