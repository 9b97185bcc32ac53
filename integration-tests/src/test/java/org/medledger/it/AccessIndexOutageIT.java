package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medledger.client.ApiProblem;
import org.medledger.client.emrauth.AccessAudit;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.protocol.emrauth.DoctorEmrSearch;
import org.medledger.protocol.emrauth.EmrRequest;
import org.medledger.protocol.emrauth.EmrSearchRequest;
import org.medledger.protocol.emrauth.HospitalAccessRequest;

/**
 * A release is recorded twice, on the ledger and in the patient's access index; it happens only
 * if both writes succeed. With the index unavailable the release is refused before anything is
 * appended to the ledger, so the ledger holds no entry for an access that was not released.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AccessIndexOutageIT {

    static final EmrAuthClient API = EmrAuthParties.API;

    @Deployment(name = "medledger", testable = false, order = 1)
    static EnterpriseArchive deployment() {
        return Deployments.medledgerEar();
    }

    @Deployment(name = "outage", testable = false, order = 2)
    static WebArchive outage() {
        return ShrinkWrap.create(WebArchive.class, "access-index-outage.war").addClass(AccessIndexOutageServlet.class);
    }

    @BeforeAll
    static void servers() throws Exception {
        KeycloakServer.ensureStarted();
        ItPki.startResponder();
    }

    static void index(String state) {
        table("access_entry", state);
    }

    static void table(String table, String state) {
        String base = ItConfig.api().replaceFirst("(https?://[^/]+).*", "$1");
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(base + "/access-index-outage/access-index?state=" + state
                        + "&table=" + table))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, r.statusCode(), r.body());
    }

    static HttpResponse<String> release(String token, String hpc, EmrAuthClient.OpenedAccess opened, EmrRequest req) {
        return Http.send(HttpRequest.newBuilder(URI.create(ItConfig.api() + "/emr-auth/hospitals/" + hpc
                        + "/access-sessions/" + opened.sessionId() + "/release"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder()
                        .add("message", Base64.getEncoder().encodeToString(req.encode())).build().toString())));
    }

    @Test
    void withTheAccessIndexUnavailableNothingIsReleasedAndNothingAppended() throws Exception {
        EmrAuthParties.Medic d2 = EmrAuthParties.doctor();
        EmrAuthHardeningIT.Scene s = EmrAuthHardeningIT.scene(d2);
        String token = d2.token();
        DoctorEmrSearch search = d2.device().startEmrSearch("pc", s.p().id(), EmrAuthHardeningIT.DEPT);
        HospitalAccessRequest access = search.acceptSearchResponse(API.search(token, search.request()));
        EmrAuthClient.OpenedAccess opened = API.openAccess(token, s.hpc(), access);
        EmrRequest req = search.acceptAccessResponse(opened.response());
        long before = EmrAuthHardeningIT.treeSize();
        index("away");
        HttpResponse<String> r;
        try {
            r = release(token, s.hpc(), opened, req);
        } finally {
            index("back");
        }
        KgcRegistrationIT.assertProblem(r, 503, "ACCESS_NOT_RECORDED");
        assertFalse(r.body().contains("\"message\""), "no C_HPC2 in a refused release: " + r.body());
        assertEquals(before, EmrAuthHardeningIT.treeSize(), "no ledger entry for an access that was not released");

        // with the index back, the next search releases the record, recorded once on the ledger and in the index
        DoctorEmrSearch again = d2.device().startEmrSearch("pc", s.p().id(), EmrAuthHardeningIT.DEPT);
        HospitalAccessRequest access2 = again.acceptSearchResponse(API.search(token, again.request()));
        EmrAuthClient.OpenedAccess opened2 = API.openAccess(token, s.hpc(), access2);
        EmrRequest req2 = again.acceptAccessResponse(opened2.response());
        assertArrayEquals(s.record(), again.readEmr(API.release(token, s.hpc(), opened2.sessionId(), req2).delivery()));
        AccessAudit.Verified audit = AccessAudit.verify(API.accesses(s.p().token(), 0), s.p().id(), null, 0, null);
        assertEquals(1, audit.accesses().size(), "exactly the one released access: " + audit.accesses());
    }

    @Test
    void withTheReplayGuardUnavailableEveryStepAnswers503AndAcceptsNothing() throws Exception {
        EmrAuthParties.Medic d2 = EmrAuthParties.doctor();
        EmrAuthHardeningIT.Scene s = EmrAuthHardeningIT.scene(d2);
        String token = d2.token();
        DoctorEmrSearch search = d2.device().startEmrSearch("pc", s.p().id(), EmrAuthHardeningIT.DEPT);
        EmrSearchRequest step2 = search.request();
        long before = EmrAuthHardeningIT.treeSize();
        table("replay_record", "away");
        try {
            ApiProblem atPc = assertThrows(ApiProblem.class, () -> API.search(token, step2));
            assertEquals(503, atPc.status());
            assertEquals("REPLAY_GUARD_UNAVAILABLE", atPc.code(), "a database failure is not a replay");
        } finally {
            table("replay_record", "back");
        }
        // Not accepted while the guard was away: the same message is accepted now, and once only.
        HospitalAccessRequest step4 = search.acceptSearchResponse(API.search(token, step2));
        assertEquals("REPLAY", assertThrows(ApiProblem.class, () -> API.search(token, step2)).code());

        table("replay_record", "away");
        try {
            ApiProblem atHpc = assertThrows(ApiProblem.class, () -> API.openAccess(token, s.hpc(), step4));
            assertEquals(503, atHpc.status());
            assertEquals("REPLAY_GUARD_UNAVAILABLE", atHpc.code());
        } finally {
            table("replay_record", "back");
        }
        EmrAuthClient.OpenedAccess opened = API.openAccess(token, s.hpc(), step4);
        assertEquals("REPLAY", assertThrows(ApiProblem.class, () -> API.openAccess(token, s.hpc(), step4)).code());
        EmrRequest step6 = search.acceptAccessResponse(opened.response());

        HttpResponse<String> r;
        table("replay_record", "away");
        try {
            r = release(token, s.hpc(), opened, step6);
        } finally {
            table("replay_record", "back");
        }
        KgcRegistrationIT.assertProblem(r, 503, "REPLAY_GUARD_UNAVAILABLE");
        assertFalse(r.body().contains("\"message\""), "no C_HPC2 when the guard cannot decide: " + r.body());
        assertEquals(before, EmrAuthHardeningIT.treeSize(), "no ledger entry, nothing released");
    }
}
