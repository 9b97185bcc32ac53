package org.medledger.ledger.log;

import java.util.Objects;

import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.CanonicalReader;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.crypto.SignatureScheme;
import org.medledger.ledger.crypto.Signer;

/** The producer's signature over (tree size, root hash, timestamp): a checkpoint anyone can hold. */
public record SignedTreeHead(long treeSize, Digest rootHash, long timestamp, String signer, Bytes signature) {
    private static final String LABEL = "MEDLEDGER/sth/v1";

    public SignedTreeHead {
        Objects.requireNonNull(rootHash);
        Objects.requireNonNull(signer);
        Objects.requireNonNull(signature);
    }

    public static byte[] signingBytes(long treeSize, Digest rootHash, long timestamp, String signer) {
        return Canonical.label(LABEL).u64(treeSize).digest(rootHash).u64(timestamp).str(signer).toBytes();
    }

    public static SignedTreeHead sign(long treeSize, Digest rootHash, long timestamp, String signerId, Signer signer) {
        return new SignedTreeHead(treeSize, rootHash, timestamp, signerId,
                Bytes.of(signer.sign(signingBytes(treeSize, rootHash, timestamp, signerId))));
    }

    public boolean verify(Bytes publicKey, SignatureScheme scheme) {
        return scheme.verify(publicKey.toArray(), signingBytes(treeSize, rootHash, timestamp, signer), signature.toArray());
    }

    public byte[] encode() {
        return Canonical.label(LABEL + "/wire").u64(treeSize).digest(rootHash).u64(timestamp).str(signer)
                .bytes(signature.toArray()).toBytes();
    }

    public static SignedTreeHead decode(byte[] b) {
        CanonicalReader r = new CanonicalReader(b).expectLabel(LABEL + "/wire");
        SignedTreeHead s = new SignedTreeHead(r.u64(), r.digest(), r.u64(), r.str(), Bytes.of(r.bytes()));
        r.expectEnd();
        return s;
    }
}
