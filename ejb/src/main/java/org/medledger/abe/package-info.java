/**
 * ABE-CHAIN served (seed 003, PROTOCOLS.md §4): the KGC's key issuance bound to the caller's
 * Keycloak identity and roles, the pending pool of authorization letters, the hospital's sealing
 * and signing, the endorsing node's matching rule, the medical cloud and the ledger entries.
 */
package org.medledger.abe;
