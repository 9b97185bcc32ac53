/** RFC 9457 problem responses and the exception mappers that produce them. */
package org.medledger.api.problem;
