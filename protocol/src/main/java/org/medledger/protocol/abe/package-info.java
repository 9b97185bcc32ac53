/**
 * ABE-CHAIN (PROTOCOLS.md §4, seed 003): the combined attribute-based / identity-based
 * encryption and signature scheme C-AB/IB-ES on a Type-3 pairing, the access-policy
 * language and its LSSS matrices, hybrid record encryption, the patient's authorization
 * letter and the endorser's matching rule, with one class per party
 * ({@link org.medledger.protocol.abe.KeyGenerationCenter}, {@link org.medledger.protocol.abe.Patient},
 * {@link org.medledger.protocol.abe.Hospital}, {@link org.medledger.protocol.abe.Endorser},
 * {@link org.medledger.protocol.abe.DataConsumer}). Deviations: {@code docs/protocols/abe-chain.md}.
 */
package org.medledger.protocol.abe;
