package org.medledger.consortium;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.ContractRegistry;
import org.medledger.ledger.crypto.SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.member.TrustAnchors;

/**
 * The consortium's membership as the KGC (the designated authority) issues it: one KGC-signed
 * block-producer certificate per hospital over the hospital's own producer public key, the
 * hospitals in order and the quorum. Its base64 encoding is the file every node is configured
 * with ({@code MEDLEDGER_CONSORTIUM_MEMBERSHIP}); certificates are deterministic (RFC 6979), so
 * issuing the same membership again gives the same file.
 */
public final class MembershipFile {

    /** A hospital's producer public key (SEC1 compressed) and the validity of its certificate. */
    public record Producer(String hospitalId, byte[] publicKey, long notBefore, long notAfter) {
    }

    private MembershipFile() {
    }

    public static Consortium issue(Signer kgc, String kgcId, List<Producer> producers, int quorum, SignatureScheme scheme) {
        List<MemberCertificate> certs = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Producer p : producers) {
            if (!scheme.isValidPublicKey(p.publicKey())) {
                throw new IllegalArgumentException("the producer key of " + p.hospitalId() + " is not a valid public key");
            }
            certs.add(MemberCertificate.issue(kgc, p.hospitalId(), Role.BLOCK_PRODUCER, p.publicKey(), p.notBefore(), p.notAfter()));
            ids.add(p.hospitalId());
        }
        TrustAnchors anchors = new TrustAnchors(kgcId, Bytes.of(kgc.publicKey()), certs).validated(scheme);
        return new Consortium(anchors, ids, quorum, ContractRegistry.of(), scheme);
    }

    /** The file's content: base64 of {@link Consortium#encode()}. */
    public static String encode(Consortium c) {
        return Base64.getMimeEncoder().encodeToString(c.encode()) + "\n";
    }
}
