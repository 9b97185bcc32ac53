package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;

import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.dmr.ModelNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.client.ApiProblem;
import org.medledger.protocol.common.Freshness;
import org.medledger.protocol.emrauth.DoctorEmrSearch;
import org.medledger.protocol.emrauth.EmrSearchRequest;
import org.medledger.protocol.emrauth.HospitalAccessRequest;

/**
 * A captured message replayed after the server restarted (a reload: every service and the
 * deployment start again, nothing in memory survives, the database stays) is still refused as a
 * replay, and the refusal changes nothing. Its own class: the reload restarts the deployment the
 * other classes share.
 */
class ReplayAfterRestartIT extends DeployedServer {

    /** The doctor's device runs this far ahead (within the window), so the restart fits in it. */
    static final Duration AHEAD = Duration.ofSeconds(25);

    @ArquillianResource
    ManagementClient management;

    @BeforeAll
    static void servers() throws Exception {
        ItPki.startResponder();
    }

    @Test
    void capturedMessagesAreRefusedAlsoAfterTheServerRestarts() throws Exception {
        EmrAuthParties.Medic d2 = EmrAuthParties.doctor(Clock.offset(Clock.systemUTC(), AHEAD));
        EmrAuthHardeningIT.Scene s = EmrAuthHardeningIT.scene(d2);
        String token = d2.token();
        DoctorEmrSearch search = d2.device().startEmrSearch("pc", s.p().id(), EmrAuthHardeningIT.DEPT);
        EmrSearchRequest captured = search.request();
        long stamped = System.currentTimeMillis() + AHEAD.toMillis();
        HospitalAccessRequest access = search.acceptSearchResponse(EmrAuthHardeningIT.API.search(token, captured));
        EmrAuthHardeningIT.API.openAccess(token, s.hpc(), access);

        restart();

        long size = EmrAuthHardeningIT.treeSize();
        String fresh = d2.token();
        ApiProblem atPc = assertThrows(ApiProblem.class, () -> EmrAuthHardeningIT.API.search(fresh, captured));
        ApiProblem atHpc = assertThrows(ApiProblem.class, () -> EmrAuthHardeningIT.API.openAccess(fresh, s.hpc(), access));
        long age = System.currentTimeMillis() - stamped;
        assertTrue(Math.abs(age) <= Freshness.DEFAULT_WINDOW.toMillis(),
                "the restart took too long to show the replay guard (message " + age + " ms from its timestamp)");
        assertEquals(409, atPc.status());
        assertEquals("REPLAY", atPc.code());
        assertEquals(409, atHpc.status());
        assertEquals("REPLAY", atHpc.code());
        assertEquals(size, EmrAuthHardeningIT.treeSize(), "a refused replay appends nothing");
    }

    /** Reloads the server and waits until the API answers again. */
    private void restart() throws Exception {
        ModelNode op = new ModelNode();
        op.get("operation").set("reload");
        op.get("address").setEmptyList();
        try {
            management.getControllerClient().execute(op);
        } catch (java.io.IOException e) {
            // the management channel may close before the answer arrives: the server is reloading
        }
        Thread.sleep(1000);
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (Http.get("/health", null).statusCode() == 200) {
                    return;
                }
            } catch (IllegalStateException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server did not come back after the restart");
    }
}
