package org.medledger.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The set-up most server tests share: the MedLedger EAR deployed to the test server, the test
 * driven from outside it (over HTTPS, as a client would), and the test Keycloak started before
 * anything else. A test's own {@code @BeforeAll} methods run after this one.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class DeployedServer {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Deployments.medledgerEar();
    }

    @BeforeAll
    static void keycloak() {
        KeycloakServer.ensureStarted();
    }
}
