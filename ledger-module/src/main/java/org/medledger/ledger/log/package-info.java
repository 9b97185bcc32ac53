/** Signed tree heads of the ledger's RFC 6962 log. */
package org.medledger.ledger.log;
