/** REST view of the ledger for auditors. */
package org.medledger.api.ledger;
