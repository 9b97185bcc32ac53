package org.medledger.protocol.pki;

import java.io.IOException;
import java.net.URI;

/**
 * Carries one DER {@code OCSPRequest} to a responder and returns the DER {@code OCSPResponse}
 * (RFC 6960 appendix A.1, HTTP POST). Any failure is an {@link IOException}.
 */
@FunctionalInterface
public interface OcspTransport {

    byte[] exchange(URI responder, byte[] request) throws IOException, InterruptedException;
}
