package org.medledger.consortium;

import java.util.Objects;

import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.CanonicalReader;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.crypto.SignatureScheme;
import org.medledger.ledger.crypto.Signer;

/**
 * A hospital node's statement "my own copy of the ledger, validated block by block, has
 * {@code treeSize} entries with root {@code root}", signed with the node's key. Two
 * co-signatures by one witness for the same size with different roots are proof that it
 * presented two histories.
 */
public record Cosignature(String witness, long treeSize, Digest root, long timestamp, Bytes signature) {
    private static final String LABEL = "MEDLEDGER/witness-cosignature/v1";

    public Cosignature {
        Objects.requireNonNull(witness);
        Objects.requireNonNull(root);
        Objects.requireNonNull(signature);
        if (treeSize < 0) {
            throw new ConsortiumException(ConsortiumReason.MALFORMED, "negative tree size");
        }
    }

    public static byte[] signingBytes(String witness, long treeSize, Digest root, long timestamp) {
        return Canonical.label(LABEL).str(witness).u64(treeSize).digest(root).u64(timestamp).toBytes();
    }

    public static Cosignature sign(String witness, long treeSize, Digest root, long timestamp, Signer key) {
        return new Cosignature(witness, treeSize, root, timestamp, Bytes.of(key.sign(signingBytes(witness, treeSize, root, timestamp))));
    }

    public boolean verify(Bytes publicKey, SignatureScheme scheme) {
        return scheme.verify(publicKey.toArray(), signingBytes(witness, treeSize, root, timestamp), signature.toArray());
    }

    public byte[] encode() {
        return Canonical.label(LABEL + "/wire").str(witness).u64(treeSize).digest(root).u64(timestamp).bytes(signature.toArray()).toBytes();
    }

    public static Cosignature decode(byte[] b) {
        CanonicalReader r = new CanonicalReader(b).expectLabel(LABEL + "/wire");
        Cosignature c = new Cosignature(r.str(), r.u64(), r.digest(), r.u64(), Bytes.of(r.bytes()));
        r.expectEnd();
        return c;
    }
}
