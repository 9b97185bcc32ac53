/** The browser portal (Jakarta Faces) behind the Keycloak login. */
package org.medledger.portal;
