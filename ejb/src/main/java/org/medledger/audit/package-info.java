/**
 * The ledger as an auditor, a patient or a doctor checks it: the history of signed tree heads
 * with each pair's consistency verified, a full verification run with its progress, activity
 * per day, and an entry with its inclusion proof for a browser to verify on its own.
 */
package org.medledger.audit;
