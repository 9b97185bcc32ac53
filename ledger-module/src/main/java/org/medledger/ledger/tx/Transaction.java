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

/** A signed, endorsed transaction. Endorsements are kept sorted by endorser id, one each. */
public record Transaction(TxBody body, Bytes signature, List<Endorsement> endorsements) {
    private static final String LABEL = "MEDLEDGER/tx/v1";

    public Transaction {
        Objects.requireNonNull(body, "body is required");
        Objects.requireNonNull(signature, "signature is required");
        List<Endorsement> sorted = new ArrayList<>(endorsements);
        sorted.sort(Comparator.comparing(Endorsement::endorser));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).endorser().equals(sorted.get(i - 1).endorser())) {
                throw new LedgerException(LedgerReason.MALFORMED, "two endorsements by " + sorted.get(i).endorser());
            }
        }
        endorsements = List.copyOf(sorted);
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
        Canonical c = Canonical.label(LABEL).bytes(body.signingBytes()).bytes(signature.toArray()).bytes(encodeEndorsements(endorsements));
        return c.toBytes();
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
}
