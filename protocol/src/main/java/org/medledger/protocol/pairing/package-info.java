/**
 * A Type-3 pairing {@code e: G1 × G2 → GT} behind a small interface ({@link PairingGroup}),
 * so that the library under it can be swapped. The one implementation today is BLS12-381
 * on the native blst library ({@link Bls12381}); see {@code docs/pairing.md} for the choice,
 * the RFC 9380 check of its hash-to-G1 and what a server deployment needs.
 *
 * <p>Every decoder here checks length, encoding, curve membership, subgroup membership and
 * refuses the identity: a bad element is a {@link org.medledger.protocol.common.ProtocolException}
 * with {@link org.medledger.protocol.common.Reason#BAD_POINT}, never a raw exception.
 */
package org.medledger.protocol.pairing;
