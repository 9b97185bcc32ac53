/**
 * The key generation center: EMR-AUTH's public cloud, CLOUD-CHAIN's NA, INTER-HOSPITAL's
 * blockchain center and ABE-CHAIN's KGC. Boundary beans, stored registrations, and the
 * values handed across the boundary.
 */
package org.medledger.kgc;
