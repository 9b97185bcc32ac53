/** Cross-cutting server plumbing: schema migrations and the typed refusal every boundary throws. */
package org.medledger.platform;
