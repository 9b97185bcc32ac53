package org.medledger.protocol.abe;

import java.nio.charset.StandardCharsets;

import org.medledger.protocol.pairing.G1Element;
import org.medledger.protocol.pairing.PairingGroup;

/**
 * The scheme's hash {@code H: {0,1}* → G1} (RFC 9380), split into three domains so that an
 * attribute, an identity and a signed message never hash to the same point: without the
 * split an identity key for {@code "insurer"} would also be an attribute key for the
 * attribute {@code insurer} (deviation D2 in docs/protocols/abe-chain.md).
 */
final class AbeHashes {

    private static final String SUITE = "_XMD:SHA-256_SSWU_RO_";
    static final String DST_ATTRIBUTE = "MEDLEDGER-V01-ABE-CHAIN-ATTRIBUTE-with-";
    static final String DST_IDENTITY = "MEDLEDGER-V01-ABE-CHAIN-IDENTITY-with-";
    static final String DST_MESSAGE = "MEDLEDGER-V01-ABE-CHAIN-IBS-MESSAGE-with-";

    private final PairingGroup group;
    private final String curve;

    AbeHashes(PairingGroup group) {
        this.group = group;
        this.curve = group.name().replace("-", "") + "G1" + SUITE;
    }

    /** H(x) for an attribute x: case-folded, NFC, UTF-8 (PROTOCOLS.md §4 errata). */
    G1Element attribute(String x) {
        return group.hashToG1(AccessPolicy.foldAttribute(x).getBytes(StandardCharsets.UTF_8), DST_ATTRIBUTE + curve);
    }

    /** H(id) for an identity. */
    G1Element identity(String id) {
        return group.hashToG1(AccessPolicy.foldAttribute(id).getBytes(StandardCharsets.UTF_8), DST_IDENTITY + curve);
    }

    /** H(m) for a message signed with IBS. */
    G1Element message(byte[] m) {
        return group.hashToG1(m, DST_MESSAGE + curve);
    }
}
