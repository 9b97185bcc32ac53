/**
 * Revocation sources for the medical-authority PKI behind {@code Cert_D} (PROTOCOLS.md §0):
 * an OCSP client (RFC 6960) that fails closed, a composite of several sources, and the
 * doctor-role check on a certificate's subject. Pure Java on Bouncy Castle; no container.
 */
package org.medledger.protocol.pki;
