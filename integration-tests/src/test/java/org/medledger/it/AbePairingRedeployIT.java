package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.json.JsonObject;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medledger.client.abe.AbeChainClient;
import org.medledger.protocol.abe.AuthorizationLetter;
import org.medledger.protocol.abe.PublicParameters;

/**
 * The native pairing survives a redeploy: the test server has blst installed as the module
 * {@code foundation.icon.blst} by {@code configure-pairing.cli}; the EAR is deployed, used,
 * undeployed and deployed again on the same running server, and each time the health output
 * reports the native implementation (not the fallback) and an insurance claim runs end to end.
 * A blst jar inside the EAR would fail the second deployment ("already loaded in another
 * classloader") and fall back.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AbePairingRedeployIT {

    static final String EAR = "medledger-redeployed";

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = EAR, managed = false, testable = false)
    static EnterpriseArchive deployment() {
        return Deployments.medledgerEar();
    }

    @BeforeAll
    static void servers() throws Exception {
        KeycloakServer.ensureStarted();
        ItPki.startResponder();
    }

    @Test
    void aRedeployedEarKeepsTheNativePairing() throws Exception {
        deployer.deploy(EAR);
        try {
            requireNativeAndClaim("first deployment");
        } finally {
            deployer.undeploy(EAR);
        }
        deployer.deploy(EAR);
        try {
            requireNativeAndClaim("after the redeploy");
        } finally {
            deployer.undeploy(EAR);
        }
    }

    private static void requireNativeAndClaim(String when) throws Exception {
        JsonObject pairing = pairingCheck();
        assertEquals("native", pairing.getString("implementation"), when + ": " + pairing);
        assertFalse(pairing.getBoolean("fallback"), when + ": " + pairing);
        // The server computes with blst: PP, an identity key, an attribute key, the hospital's
        // sealing and signature, the endorsement; the device (pure Java) checks and decrypts.
        PublicParameters pp = AbeChainParties.pp();
        AbeChainParties.AbePatient p = AbeChainParties.patient(pp);
        String hpc = EmrAuthParties.hospital();
        AbeChainParties.Consumer insurer = AbeChainParties.consumer(pp, "insurer", "abe-claims");
        AuthorizationLetter letter = p.authorize("claim-" + Instant.now().toEpochMilli(), hpc, "insurer AND claims");
        AbeChainParties.API.submitLetter(p.token(), letter.toBytes(), p.transaction(letter));
        byte[] record = AbeChainParties.claimRecord(p.id());
        String id = AbeChainParties.API.storeRecord(Tokens.forUser("hospital-admin"), hpc, letter.id(), record).descriptorId();
        AbeChainClient.Released r = AbeChainParties.API.release(insurer.token(), id, pp);
        assertArrayEquals(record, AbeChainClient.open(insurer.key(), pp, r.record()), when);
    }

    static JsonObject pairingCheck() throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            HttpResponse<String> r = Http.get("/health", null);
            if (r.statusCode() == 200) {
                for (JsonObject c : Http.json(r).getJsonArray("checks").getValuesAs(JsonObject.class)) {
                    if (c.getString("name").equals("pairing")) {
                        return c;
                    }
                }
                throw new AssertionError("no pairing check in " + r.body());
            }
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("health: " + r.statusCode() + " " + r.body());
            }
            Thread.sleep(500);
        }
    }
}
