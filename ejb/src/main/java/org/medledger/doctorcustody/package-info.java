/**
 * Portal custody of a doctor's EMR-AUTH keys (opt-in; the device client is the default): the
 * keys a doctor creates from the portal live in the hospital key store and are used only in that
 * doctor's own certificate-authenticated session, each use an access entry on the ledger before
 * the key is used ({@code docs/architecture.md}, {@code docs/protocols/emr-auth.md}).
 */
package org.medledger.doctorcustody;
