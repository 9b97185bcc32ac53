/**
 * A Type-3 pairing {@code e: G1 × G2 → GT} behind a small interface ({@link PairingGroup}),
 * so that the library under it can be swapped. Two byte-compatible BLS12-381
 * implementations: pure Java on Apache Milagro with our RFC 9380 hash ({@link Bls12381PureJava},
 * the default) and native blst ({@link Bls12381}); {@link PairingGroups} selects one. See
 * {@code docs/pairing.md} for the choice, the RFC 9380 checks and what a server deployment needs.
 *
 * <p>Every decoder here checks length, encoding, curve membership, subgroup membership and
 * refuses the identity: a bad element is a {@link org.medledger.protocol.common.ProtocolException}
 * with {@link org.medledger.protocol.common.Reason#BAD_POINT}, never a raw exception.
 */
package org.medledger.protocol.pairing;
