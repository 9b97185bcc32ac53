/**
 * Transactions: submitter, contract and function, canonical arguments, timestamp, nonce, the
 * submitter's signature and endorsements; their canonical encoding, id and log leaf hash.
 */
package org.medledger.ledger.tx;
