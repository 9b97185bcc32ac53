package org.medledger.protocol.group;

import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.LabelledEncoder;

/**
 * What binds a member's Chebyshev public key T_s(x) to its identity in the served system: the
 * member signs this message with its ledger member key (the KGC-certified key of the ledger's
 * member directory), and the owner's {@code group-join} transaction names the key's digest. So the
 * directory of the ring ("all ID information and their corresponding public keys have been
 * arranged", seed 004 §III-D1) is certified by keys the KGC certified.
 */
public final class MemberKeyBinding {

    private MemberKeyBinding() {
    }

    /** The message a member signs: (member id, T_s(x)). */
    public static byte[] message(String memberId, byte[] encodedPublicKey) {
        return LabelledEncoder.of("GROUP-AGG/member-key/v1").utf8(memberId).bytes(encodedPublicKey).toByteArray();
    }

    /** The digest of an encoded T_s(x) named on the ledger (hex). */
    public static String digest(byte[] encodedPublicKey) {
        return java.util.HexFormat.of().formatHex(CheckValues.digest(LabelledEncoder.of("GROUP-AGG/member-key/digest").bytes(encodedPublicKey)));
    }
}
