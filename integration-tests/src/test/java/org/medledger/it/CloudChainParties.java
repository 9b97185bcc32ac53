package org.medledger.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.medledger.client.cloudchain.CloudChainClient;
import org.medledger.client.cloudchain.SmartcardDevice;
import org.medledger.client.emrauth.DeviceStore;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.VerificationKey;

/**
 * CLOUD-CHAIN parties for the integration tests, built as the client builds them: fresh Keycloak
 * users per run, medical centers registered by the network administrator, patients' smartcards
 * personalized on their devices (the card in a device PKCS#12 store of their own).
 */
final class CloudChainParties {

    static final CurveProfile CURVE = CurveProfile.p256();
    static final CloudChainClient API = new CloudChainClient(Http.client(), URI.create(ItConfig.api()), CURVE);

    private CloudChainParties() {
    }

    /** A medical center: its operator account and its registration ({@code PID_j}, {@code Cert_j}). */
    record Center(String operator, CloudChainClient.CenterRegistration registration) {
        String pid() {
            return registration.pid();
        }

        String token() {
            return Tokens.forUser(operator);
        }
    }

    static Center center() throws Exception {
        String id = EmrAuthParties.unique("cc-center");
        KeycloakAdmin.createUser(id, "medical-center");
        KeycloakAdmin.setPassword(id, id + "-demo");
        return new Center(id, API.registerCenter(Tokens.forUser("network-admin"), id));
    }

    /** A patient with its smartcard personalized under {@code cardPassword}. */
    record Patient(String id, SmartcardDevice card, DeviceStore store, String hid) {
        String token() {
            return Tokens.forUser(id);
        }
    }

    static Patient patient(String cardPassword) throws Exception {
        String id = EmrAuthParties.unique("cc-patient");
        KeycloakAdmin.createUser(id, "patient");
        KeycloakAdmin.setPassword(id, id + "-demo");
        String token = Tokens.forUser(id);
        Path dir = Files.createTempDirectory("cc-device");
        DeviceStore store = DeviceStore.open(dir.resolve(id + ".p12"), "device store password".toCharArray());
        SmartcardDevice card = new SmartcardDevice(API, store, CURVE, EmrAuthParties.RANDOM);
        VerificationKey certifier = EmrAuthParties.API.trust(token).certifierKey();
        String hid = card.register(token, id, pw(cardPassword), KgcRegistrationIT.publicKey(), certifier);
        return new Patient(id, card, store, hid);
    }

    static SecretBytes pw(String password) {
        return SecretBytes.copyOf(password.getBytes(StandardCharsets.UTF_8));
    }

    static EmrAuthClient emrAuth() {
        return EmrAuthParties.API;
    }
}
