/**
 * Members and their KGC-certified signing keys: the certificate the KGC signs over
 * (member id, role, public key, validity), trust anchors, and the directory that resolves an
 * active member from world state.
 */
package org.medledger.ledger.member;
