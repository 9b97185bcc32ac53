package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.security.KeyStore;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.dmr.ModelNode;
import org.jboss.dmr.Property;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server's key-store passwords live in its Elytron credential store
 * ({@code configure-credential-store.cli}): one password per key store, none of them a system
 * property, a line of the configuration or an environment variable of the server, and the server
 * reads its keys through that store.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CredentialStoreIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Deployments.medledgerEar();
    }

    @ArquillianResource
    ManagementClient management;

    private static Map<String, char[]> stored() throws Exception {
        Map<String, char[]> p = ServerCredentialStore.passwords();
        assertTrue(p.keySet().containsAll(ServerCredentialStore.KEY_STORES.values()), p.keySet().toString());
        return p;
    }

    @Test
    void eachKeyStoreHasItsOwnPasswordInTheCredentialStore() throws Exception {
        Map<String, char[]> stored = stored();
        Set<String> distinct = new HashSet<>();
        for (String alias : ServerCredentialStore.KEY_STORES.values()) {
            distinct.add(new String(stored.get(alias)));
        }
        distinct.add(ItConfig.require("medledger.it.secret.credential-store.password"));
        assertEquals(ServerCredentialStore.KEY_STORES.size() + 1, distinct.size(), "a password serves two stores");
        // each KGC store opens with its own password only: holding one key's password gives no other key
        for (String file : ServerCredentialStore.kgcStores()) {
            String own = ServerCredentialStore.KEY_STORES.get(file);
            KeyStore ks = ServerCredentialStore.open(file, stored.get(own));
            assertTrue(ks.isKeyEntry(ServerCredentialStore.KGC_ENTRIES.get(file)), file);
            for (String other : ServerCredentialStore.KEY_STORES.values()) {
                if (!other.equals(own)) {
                    assertThrows(Exception.class, () -> ServerCredentialStore.open(file, stored.get(other)),
                            file + " opened with the password of " + other);
                }
            }
        }
    }

    @Test
    void noSystemPropertyAndNoConfigurationLineCarriesAKeyStorePassword() throws Exception {
        Map<String, char[]> stored = stored();
        ModelNode op = new ModelNode();
        op.get("operation").set("read-attribute");
        op.get("address").add("core-service", "platform-mbean").add("type", "runtime");
        op.get("name").set("system-properties");
        ModelNode result = management.getControllerClient().execute(op);
        assertEquals("success", result.get("outcome").asString(), result.toString());
        int seen = 0;
        for (Property p : result.get("result").asPropertyList()) {
            seen++;
            assertFalse(p.getName().endsWith(".password"), "system property " + p.getName());
            String value = p.getValue().asString();
            for (Map.Entry<String, char[]> e : stored.entrySet()) {
                assertFalse(value.contains(new String(e.getValue())), "system property " + p.getName() + " holds " + e.getKey());
            }
        }
        assertTrue(seen > 10, "the server's system properties were read");
        assertTrue(result.get("result").has("medledger.kgc-master.keystore.path"), "the stores are configured by path only");

        String xml = Files.readString(ServerCredentialStore.configDir().resolve("standalone-medledger.xml"));
        assertTrue(xml.contains("${env.MEDLEDGER_CREDENTIAL_STORE_PASSWORD}"), "the store's own password stays an expression");
        for (Map.Entry<String, char[]> e : stored.entrySet()) {
            assertFalse(xml.contains(new String(e.getValue())), "standalone-medledger.xml holds " + e.getKey());
        }
        assertFalse(xml.contains(ItConfig.require("medledger.it.secret.credential-store.password")));
    }

    @Test
    void theServerReadsItsKeysThroughTheCredentialStore() throws Exception {
        Map<String, char[]> stored = stored();
        // the KGC public key served is the one in the master key's own store
        JsonObject pk = Http.json(Http.get("/kgc/public-key", null));
        assertArrayEquals(x(publicKey("medledger-kgc-master.p12", "kgc-master", stored)),
                x(Base64.getDecoder().decode(pk.getString("publicKey"))));
        // the ledger's trust anchor is the KGC ledger key from its store, the producer's key from its own
        JsonObject anchors = Http.json(Http.get("/ledger/trust-anchors", null));
        assertArrayEquals(x(publicKey("medledger-kgc-ledger.p12", "kgc-ledger", stored)),
                x(Base64.getDecoder().decode(anchors.getString("kgcPublicKey"))));
        assertArrayEquals(x(publicKey("medledger-ledger-producer.p12", "ledger-producer", stored)),
                x(Base64.getDecoder().decode(anchors.getJsonArray("producers").getJsonObject(0).getString("publicKey"))));
    }

    private static byte[] publicKey(String file, String alias, Map<String, char[]> stored) throws Exception {
        KeyStore ks = ServerCredentialStore.open(file, stored.get(ServerCredentialStore.KEY_STORES.get(file)));
        ECPublicKey k = (ECPublicKey) ks.getCertificate(alias).getPublicKey();
        byte[] xb = k.getW().getAffineX().toByteArray();
        byte[] out = new byte[33];
        out[0] = 0x04;
        System.arraycopy(xb, Math.max(0, xb.length - 32), out, 33 - Math.min(32, xb.length), Math.min(32, xb.length));
        return out;
    }

    /** The X coordinate of a SEC1 point (compressed or uncompressed). */
    private static byte[] x(byte[] sec1) {
        assertTrue(sec1.length == 33 || sec1.length == 65, "SEC1 point of " + sec1.length + " bytes");
        return Arrays.copyOfRange(sec1, 1, 33);
    }
}
