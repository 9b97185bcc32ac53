package org.medledger.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API, served under the {@code /api} context root of {@code medledger-api.war}. */
@ApplicationPath("/")
public class MedLedgerApi extends Application {
}
