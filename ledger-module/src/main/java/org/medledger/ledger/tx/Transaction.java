package org.medledger.ledger.tx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.CanonicalReader;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.crypto.Signer;

/**
 * A signed, endorsed transaction. Endorsements are kept sorted by endorser id, one each.
 * Immutable; its full encoding (the log leaf's content) is computed once.
 */
public final class Transaction {
    private static final String LABEL = "MEDLEDGER/tx/v1";

    private final TxBody body;
    private final Bytes signature;
    private final List<Endorsement> endorsements;
    private volatile byte[] encoded;

    public Transaction(TxBody body, Bytes signature, List<Endorsement> endorsements) {
        this.body = Objects.requireNonNull(body, "body is required");
        this.signature = Objects.requireNonNull(signature, "signature is required");
        List<Endorsement> sorted = new ArrayList<>(endorsements);
        sorted.sort(Comparator.comparing(Endorsement::endorser));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).endorser().equals(sorted.get(i - 1).endorser())) {
                throw new LedgerException(LedgerReason.MALFORMED, "two endorsements by " + sorted.get(i).endorser());
            }
        }
        this.endorsements = List.copyOf(sorted);
    }

    public TxBody body() {
        return body;
    }

    public Bytes signature() {
        return signature;
    }

    public List<Endorsement> endorsements() {
        return endorsements;
    }

    public Digest id() {
        return body.id();
    }

    /** A copy with one more endorsement by {@code endorser}. */
    public Transaction endorse(String endorser, Signer signer) {
        List<Endorsement> e = new ArrayList<>(endorsements);
        e.add(new Endorsement(endorser, Bytes.of(signer.sign(Endorsement.signingBytes(id())))));
        return new Transaction(body, signature, e);
    }

    /** The log leaf: every field, signatures included. */
    public byte[] encode() {
        return encoded().clone();
    }

    private byte[] encoded() {
        byte[] e = encoded;
        if (e == null) {
            e = Canonical.label(LABEL).bytes(body.encoded()).bytes(signature.toArray()).bytes(encodeEndorsements(endorsements)).toBytes();
            encoded = e;
        }
        return e;
    }

    public static byte[] encodeEndorsements(List<Endorsement> endorsements) {
        Canonical c = Canonical.label("MEDLEDGER/endorsements/v1").u64(endorsements.size());
        for (Endorsement e : endorsements) {
            c.str(e.endorser()).bytes(e.signature().toArray());
        }
        return c.toBytes();
    }

    public static List<Endorsement> decodeEndorsements(byte[] encoded) {
        CanonicalReader r = new CanonicalReader(encoded).expectLabel("MEDLEDGER/endorsements/v1");
        long n = r.u64();
        if (n > 1024) {
            throw new LedgerException(LedgerReason.MALFORMED, "too many endorsements");
        }
        List<Endorsement> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(new Endorsement(r.str(), Bytes.of(r.bytes())));
        }
        r.expectEnd();
        return out;
    }

    public static Transaction decode(byte[] encoded) {
        CanonicalReader r = new CanonicalReader(encoded).expectLabel(LABEL);
        CanonicalReader b = new CanonicalReader(r.bytes()).expectLabel(TxBody.LABEL);
        TxBody body = new TxBody(b.str(), b.str(), b.str(), Arguments.decode(b.bytes()), b.u64(), b.u64());
        b.expectEnd();
        Bytes sig = Bytes.of(r.bytes());
        List<Endorsement> e = decodeEndorsements(r.bytes());
        r.expectEnd();
        return new Transaction(body, sig, e);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transaction t && body.equals(t.body) && signature.equals(t.signature) && endorsements.equals(t.endorsements);
    }

    @Override
    public int hashCode() {
        return Objects.hash(body, signature, endorsements);
    }

    @Override
    public String toString() {
        return "Transaction[id=" + id() + ", body=" + body + ", endorsements=" + endorsements.size() + "]";
    }
}
