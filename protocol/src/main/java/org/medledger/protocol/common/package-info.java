/**
 * The common cryptographic profile (PROTOCOLS.md §0) shared by every scheme: the curve
 * profile and validated point/scalar codecs, the labelled encoding, hash-to-scalar,
 * secret wrappers, KGC master keys and partial keys, freshness (timestamp window + replay
 * guard) and the certificate-legality hook. Everything here is pure Java on Bouncy Castle.
 */
package org.medledger.protocol.common;
