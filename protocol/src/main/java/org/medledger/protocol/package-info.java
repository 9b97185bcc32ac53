/**
 * The MedLedger protocol core: the common cryptographic profile and the five published
 * schemes, one class per party. Pure Java on Bouncy Castle; no container, no HTTP, no JPA.
 */
package org.medledger.protocol;
