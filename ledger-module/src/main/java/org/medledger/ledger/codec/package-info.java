/** Unambiguous, length-prefixed encodings with domain labels, and SHA-256 digests. */
package org.medledger.ledger.codec;
