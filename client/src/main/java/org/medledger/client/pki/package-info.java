/**
 * The medical authority's tooling (PROTOCOLS.md §0, {@code Cert_D}): a file-based CA that
 * issues doctor certificates for the doctors' own keys, revokes them, publishes CRLs, answers
 * OCSP, and exports what Keycloak and WildFly need (CA PEM, trust store, a TLS server
 * certificate). See {@code docs/medical-authority.md}.
 */
package org.medledger.client.pki;
