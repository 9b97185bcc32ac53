/**
 * World state: (namespace, key) → (version, value). Versions are the log position of the last
 * writer (index + 1), so read sets can be validated at block cut; only contracts write.
 */
package org.medledger.ledger.state;
