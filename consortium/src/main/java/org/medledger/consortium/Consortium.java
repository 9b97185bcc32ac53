package org.medledger.consortium;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.CanonicalReader;
import org.medledger.ledger.contract.ContractRegistry;
import org.medledger.ledger.crypto.SignatureScheme;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.TrustAnchors;

/**
 * Who the consortium is, as every node and every verifier must know it out of band: the ledger's
 * trust anchors (the KGC, and one KGC-certified block-producer certificate per hospital node),
 * which of those producers are hospital witnesses, and how many witness co-signatures make a
 * tree head count. The quorum is at least a majority of the hospitals, so two tree heads of the
 * same size with different roots cannot both reach it unless a hospital signed both.
 */
public record Consortium(TrustAnchors anchors, List<String> hospitals, int quorum, ContractRegistry contracts, SignatureScheme scheme) {
    private static final String LABEL = "MEDLEDGER/consortium/v1";

    public Consortium {
        Objects.requireNonNull(anchors, "anchors are required");
        Objects.requireNonNull(contracts, "contracts are required");
        Objects.requireNonNull(scheme, "scheme is required");
        hospitals = List.copyOf(hospitals);
        anchors.validated(scheme);
        if (hospitals.isEmpty() || hospitals.size() != hospitals.stream().distinct().count()) {
            throw new IllegalArgumentException("hospitals must be distinct and at least one");
        }
        for (String h : hospitals) {
            if (anchors.producers().stream().noneMatch(p -> p.memberId().equals(h))) {
                throw new IllegalArgumentException("hospital " + h + " has no producer certificate among the trust anchors");
            }
        }
        if (quorum < majority(hospitals.size()) || quorum > hospitals.size()) {
            throw new IllegalArgumentException("quorum must be between a majority (" + majority(hospitals.size()) + ") and " + hospitals.size());
        }
    }

    /** The consortium's log id, named in every signed tree head: derived from the shared trust anchors. */
    public String logId() {
        return "consortium-" + org.medledger.ledger.codec.Digest.sha256(anchors.encode()).hex().substring(0, 32);
    }

    /** A consortium of {@code hospitals} with a simple-majority quorum. */
    public static Consortium majorityOf(TrustAnchors anchors, List<String> hospitals, ContractRegistry contracts, SignatureScheme scheme) {
        return new Consortium(anchors, hospitals, majority(hospitals.size()), contracts, scheme);
    }

    public static int majority(int n) {
        return n / 2 + 1;
    }

    public boolean isHospital(String id) {
        return hospitals.contains(id);
    }

    /** The hospital's certificate valid at {@code at}, or a typed refusal ({@link ConsortiumReason#UNKNOWN_NODE}). */
    public MemberCertificate hospital(String id, long at) {
        if (!isHospital(id)) {
            throw new ConsortiumException(ConsortiumReason.UNKNOWN_NODE, "not a hospital of the consortium: " + printable(id));
        }
        for (MemberCertificate p : anchors.producers()) {
            if (p.memberId().equals(id)) {
                if (!p.validAt(at)) {
                    throw new ConsortiumException(ConsortiumReason.UNKNOWN_NODE, "certificate of " + id + " not valid at " + at);
                }
                return p;
            }
        }
        throw new ConsortiumException(ConsortiumReason.UNKNOWN_NODE, "no certificate for " + id);
    }

    /** The public description (hospitals, their certificates, quorum) as recorded on the ledger and compared by every node. */
    public byte[] encode() {
        Canonical c = Canonical.label(LABEL).bytes(anchors.encode()).u64(hospitals.size());
        hospitals.forEach(c::str);
        return c.u64(quorum).toBytes();
    }

    /** Decodes {@link #encode()}; contracts and scheme are code, not data. */
    public static Consortium decode(byte[] encoded, ContractRegistry contracts, SignatureScheme scheme) {
        CanonicalReader r = new CanonicalReader(encoded).expectLabel(LABEL);
        TrustAnchors anchors = TrustAnchors.decode(r.bytes());
        long n = r.u64();
        if (n > 1000) {
            throw new ConsortiumException(ConsortiumReason.MALFORMED, "too many hospitals");
        }
        List<String> hs = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            hs.add(r.str());
        }
        int quorum = Math.toIntExact(r.u64());
        r.expectEnd();
        return new Consortium(anchors, hs, quorum, contracts, scheme);
    }

    /** The KGC's transaction recording this membership on the ledger ({@link MembershipContract}), signed and endorsed by the KGC. */
    public org.medledger.ledger.tx.Transaction membershipTransaction(org.medledger.ledger.crypto.Signer kgc, long timestamp, long nonce) {
        org.medledger.ledger.tx.Transaction tx = new org.medledger.ledger.tx.TxBody(anchors.kgcId(), MembershipContract.NAME, "record",
                org.medledger.ledger.tx.Arguments.builder().put("consortium", org.medledger.ledger.codec.Bytes.of(encode())).build(), timestamp, nonce).sign(kgc);
        return tx.endorse(anchors.kgcId(), kgc);
    }

    /** Hospital id → certificate, in configuration order. */
    public Map<String, MemberCertificate> certificates() {
        Map<String, MemberCertificate> m = new LinkedHashMap<>();
        for (String h : hospitals) {
            anchors.producers().stream().filter(p -> p.memberId().equals(h)).findFirst().ifPresent(p -> m.put(h, p));
        }
        return m;
    }

    /** An id from the wire, safe to log (bounded, printable). */
    static String printable(String id) {
        if (id == null) {
            return "null";
        }
        String s = id.length() > 64 ? id.substring(0, 64) + "…" : id;
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
