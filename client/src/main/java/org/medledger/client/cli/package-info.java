/** The {@code medledger} command-line client. */
package org.medledger.client.cli;
