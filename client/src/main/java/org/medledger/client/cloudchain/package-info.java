/** CLOUD-CHAIN (seed 001) on the device: the patient's smartcard and the REST calls of every party. */
package org.medledger.client.cloudchain;
