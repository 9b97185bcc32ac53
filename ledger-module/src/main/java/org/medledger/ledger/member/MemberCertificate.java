package org.medledger.ledger.member;

import java.util.Objects;

import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.CanonicalReader;
import org.medledger.ledger.crypto.SignatureScheme;
import org.medledger.ledger.crypto.Signer;

/**
 * The KGC's signature over (member id, role, signing public key, validity) — the signed
 * directory entry of PROTOCOLS.md §0; also CLOUD-CHAIN's Cert_j (errata 2).
 */
public record MemberCertificate(String memberId, Role role, Bytes publicKey, long notBefore, long notAfter, Bytes kgcSignature) {
    private static final String LABEL = "MEDLEDGER/member-cert/v1";

    public MemberCertificate {
        Objects.requireNonNull(memberId, "memberId is required");
        Objects.requireNonNull(role, "role is required");
        Objects.requireNonNull(publicKey, "publicKey is required");
        Objects.requireNonNull(kgcSignature, "kgcSignature is required");
        if (memberId.isEmpty() || memberId.length() > 200) {
            throw new LedgerException(LedgerReason.MALFORMED, "member id must have 1..200 characters");
        }
        if (notAfter < notBefore) {
            throw new LedgerException(LedgerReason.MALFORMED, "validity ends before it starts");
        }
    }

    /** The KGC issues a certificate by signing the entry. */
    public static MemberCertificate issue(Signer kgc, String memberId, Role role, byte[] publicKey, long notBefore, long notAfter) {
        byte[] tbs = toBeSigned(memberId, role, Bytes.of(publicKey), notBefore, notAfter);
        return new MemberCertificate(memberId, role, Bytes.of(publicKey), notBefore, notAfter, Bytes.of(kgc.sign(tbs)));
    }

    static byte[] toBeSigned(String memberId, Role role, Bytes publicKey, long notBefore, long notAfter) {
        return Canonical.label(LABEL).str(memberId).str(role.name()).bytes(publicKey.toArray()).u64(notBefore).u64(notAfter).toBytes();
    }

    public boolean verify(Bytes kgcPublicKey, SignatureScheme scheme) {
        return scheme.isValidPublicKey(publicKey.toArray())
                && scheme.verify(kgcPublicKey.toArray(), toBeSigned(memberId, role, publicKey, notBefore, notAfter), kgcSignature.toArray());
    }

    public boolean validAt(long time) {
        return time >= notBefore && time <= notAfter;
    }

    public Bytes encode() {
        return Bytes.of(Canonical.label(LABEL).str(memberId).str(role.name()).bytes(publicKey.toArray())
                .u64(notBefore).u64(notAfter).bytes(kgcSignature.toArray()).toBytes());
    }

    public static MemberCertificate decode(Bytes encoded) {
        CanonicalReader r = new CanonicalReader(encoded.toArray()).expectLabel(LABEL);
        String id = r.str();
        Role role;
        try {
            role = Role.valueOf(r.str());
        } catch (IllegalArgumentException e) {
            throw new LedgerException(LedgerReason.MALFORMED, "unknown role");
        }
        MemberCertificate c = new MemberCertificate(id, role, Bytes.of(r.bytes()), r.u64(), r.u64(), Bytes.of(r.bytes()));
        r.expectEnd();
        return c;
    }
}
