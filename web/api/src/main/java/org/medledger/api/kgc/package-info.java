/** REST resources of the key generation center. */
package org.medledger.api.kgc;
