/** This server's ledger node: block production, KGC submissions, the ledger's JPA unit of work. */
package org.medledger.consensus;
