/** The MedLedger REST API: bearer-token protected resources, one package per feature. */
package org.medledger.api;
