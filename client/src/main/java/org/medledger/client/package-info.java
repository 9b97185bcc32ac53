/** The device-side SDK: login, REST calls, and the device's half of each protocol. */
package org.medledger.client;
