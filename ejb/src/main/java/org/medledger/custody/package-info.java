/** Access to server key material held in key stores configured by {@code wildfly-config/}. */
package org.medledger.custody;
