/**
 * GROUP-AGG served (seed 004, PROTOCOLS.md §5): the group-key management of a patient's care
 * circle ({@link org.medledger.group.GroupKeyService}: member keys, membership, the ring, join,
 * leave, the epoch of the group key and the relay of the members' key runs), the block
 * transformation system putting EHR/EMR/PHR/APHR uploads on the ledger
 * ({@link org.medledger.group.BlockTransformationService}) and the retrieval of a circle's records
 * by its current members, each retrieval an access entry on the ledger
 * ({@link org.medledger.group.GroupRecordService}). State lives in the database (tables
 * {@code ga_*}); the group key itself is agreed by the members' devices and never reaches the server.
 */
package org.medledger.group;
