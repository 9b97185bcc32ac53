/** Doctor identity: the medical-authority trust decision shared by every {@code Cert_D} check. */
package org.medledger.identity;
