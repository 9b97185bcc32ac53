/**
 * The API's HTTP edges outside JAX-RS: the request body limit and the container's own error
 * responses (401 from the bearer-token check, 404, ...), all as problem+json.
 */
package org.medledger.api.edge;
