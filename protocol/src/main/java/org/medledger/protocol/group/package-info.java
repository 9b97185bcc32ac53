/**
 * GROUP-AGG (PROTOCOLS.md §5, seed 004): Chebyshev maps over Z_p, the ring of pairwise
 * authentications, the XOR-chain group session key with member join and leave, and the
 * EHR/EMR/PHR/APHR upload records with their aggregation. One class per party
 * ({@link org.medledger.protocol.group.GroupMember}, {@link org.medledger.protocol.group.RecordProducer},
 * {@link org.medledger.protocol.group.BlockTransformationSystem}, the patient's
 * {@link org.medledger.protocol.group.AphrAggregator}). Deviations: {@code docs/protocols/group-agg.md}.
 */
package org.medledger.protocol.group;
