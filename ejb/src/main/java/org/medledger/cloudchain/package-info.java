/**
 * CLOUD-CHAIN (seed 001) served: the network administrator's registrations
 * ({@link org.medledger.cloudchain.NetworkAdministratorService}), the medical centers
 * ({@link org.medledger.cloudchain.MedicalCenterService}) and the cloud server
 * ({@link org.medledger.cloudchain.CloudServerService}), over the shared mechanisms: key custody
 * (hospital key store), the database replay guard, sealed sessions, the access entry on the ledger.
 */
package org.medledger.cloudchain;
