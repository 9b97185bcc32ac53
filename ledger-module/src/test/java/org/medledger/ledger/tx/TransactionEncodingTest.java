package org.medledger.ledger.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.log.LogLeaf;

/** Transactions cache their encodings; nothing a caller does to a returned array may change them. */
class TransactionEncodingTest {
    private final Signer doctor = P256SignatureScheme.fromSeed("doc".getBytes());

    private TxBody body(long nonce) {
        return new TxBody("doc-1", "group-agg", "upload", Arguments.builder().put("recordId", "r-1").put("kind", "EMR").build(), 1_000L, nonce);
    }

    @Test
    void mutatingReturnedBytesChangesNeitherIdNorSignatureCheck() {
        TxBody b = body(1);
        byte[] signing = b.signingBytes();
        signing[10] ^= 1; // before anything else reads the cached encoding
        Transaction tx = b.sign(doctor);
        Digest id = body(1).id(); // computed by an untouched, equal body
        assertEquals(id, b.id());
        assertTrue(P256SignatureScheme.INSTANCE.verify(doctor.publicKey(), b.signingBytes(), tx.signature().toArray()));
        byte[] encoded = tx.encode();
        encoded[0] ^= 1;
        assertArrayEquals(tx.encode(), Transaction.decode(tx.encode()).encode());
        assertEquals(tx, Transaction.decode(tx.encode()));
    }

    @Test
    void idIsTheHashOfTheSignedBodyAndDiffersPerField() {
        assertEquals(Digest.sha256(body(1).signingBytes()), body(1).id());
        assertNotEquals(body(1).id(), body(2).id());
        assertEquals(body(1), body(1));
        assertEquals(body(1).hashCode(), body(1).hashCode());
        assertNotEquals(body(1), body(2));
    }

    /**
     * The leaf hash, built here by hand from its definition (docs/ledger.md, RFC 6962 §2.1):
     * SHA-256(0x00 || len(label) || "MEDLEDGER/leaf/v1" || 00000008 || index as 8 bytes big-endian
     * || len(tx) || tx encoding), without the ledger's encoder or hashing code.
     */
    @Test
    void theLeafHashIsSha256OfZeroThenTheIndexBoundEncoding() throws Exception {
        Transaction tx = body(3).sign(doctor).endorse("kgc", P256SignatureScheme.fromSeed("kgc".getBytes()));
        byte[] encoded = tx.encode();
        byte[] label = "MEDLEDGER/leaf/v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (long index : new long[] {0, 1, 255, 1L << 40}) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 + 4 + label.length + 4 + 8 + 4 + encoded.length);
            b.put((byte) 0x00).putInt(label.length).put(label).putInt(8).putLong(index).putInt(encoded.length).put(encoded);
            byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(b.array());
            assertArrayEquals(expected, LogLeaf.hash(index, tx).bytes(), "index " + index);
        }
        assertNotEquals(LogLeaf.hash(0, tx), LogLeaf.hash(1, tx));
        // A different signature (same body) is a different leaf: the leaf covers the full encoding.
        Transaction other = body(3).sign(P256SignatureScheme.fromSeed("other".getBytes()));
        assertNotEquals(LogLeaf.hash(0, tx), LogLeaf.hash(0, other));
    }

    @Test
    void aDecodedTransactionHasTheSameIdAndLeaf() {
        Transaction tx = body(4).sign(doctor);
        Transaction back = Transaction.decode(tx.encode());
        assertEquals(tx.id(), back.id());
        assertEquals(LogLeaf.hash(9, tx), LogLeaf.hash(9, back));
        assertEquals(Bytes.of(tx.encode()), Bytes.of(back.encode()));
    }
}
