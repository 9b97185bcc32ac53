package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.client.cli.MedLedgerCli;

/** The README's CLOUD-CHAIN walkthrough with the {@code medledger cloud-chain} commands against the real server and Keycloak. */
class CloudChainCliIT extends DeployedServer {

    @TempDir
    Path device;

    record Run(int code, String out, String err) {
    }

    private Run cli(String password, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>();
        env.put("MEDLEDGER_PASSWORD", password);
        env.put("MEDLEDGER_DEVICE_PASSWORD", "device store pw");
        env.put("MEDLEDGER_CARD_PASSWORD", "card pw 1234");
        java.util.ArrayList<String> all = new java.util.ArrayList<>(List.of("cloud-chain"));
        all.addAll(args);
        all.addAll(List.of("--keycloak", ItConfig.keycloak(), "--api", ItConfig.api()));
        int code = MedLedgerCli.execute(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in: " + text);
        return m.group(1);
    }

    @Test
    void theWalkthroughRunsAsWritten() throws Exception {
        String center = EmrAuthParties.unique("cc-cli-center");
        KeycloakAdmin.createUser(center, "medical-center");
        KeycloakAdmin.setPassword(center, center + "-demo");
        String patient = EmrAuthParties.unique("cc-cli-patient");
        KeycloakAdmin.createUser(patient, "patient");
        KeycloakAdmin.setPassword(patient, patient + "-demo");
        String store = device.resolve(patient + ".p12").toString();

        Run reg = cli("network-admin-demo", List.of("register-center", "--user", "network-admin", "--center", center));
        assertEquals(0, reg.code(), reg.err());
        String pid = group(reg.out(), "PID_j ([0-9a-f]{64})");
        Run card = cli(patient + "-demo", List.of("register-card", "--user", patient, "--store", store));
        assertEquals(0, card.code(), card.err());
        String hid = group(card.out(), "HID_i ([0-9a-f]{64})");
        Run sc = cli(patient + "-demo", List.of("contract", "--user", patient, "--center", pid, "--store", store));
        assertEquals(0, sc.code(), sc.err());
        assertTrue(sc.out().contains("contract Sc(HID_i, PID_j, Cert_j) at ledger index"), sc.out());

        Path record = device.resolve("bundle.json");
        Files.writeString(record, EmrAuthParties.fhirBundle(patient, "Migraine"));
        Run stored = cli(center + "-demo", List.of("store-ehr", "--user", center, "--center", pid, "--patient", hid,
                "--record", record.toString()));
        assertEquals(0, stored.code(), stored.err());
        Path got = device.resolve("ehr.json");
        Run read = cli(center + "-demo", List.of("request-ehr", "--user", center, "--center", pid, "--patient", hid,
                "--out", got.toString()));
        assertEquals(0, read.code(), read.err());
        assertEquals(Files.readString(record), Files.readString(got));

        Run audit = cli(patient + "-demo", List.of("audit", "--user", patient, "--store", store));
        assertEquals(0, audit.code(), audit.err());
        assertTrue(audit.out().contains("patient  by kgc") && audit.out().contains("sc  by " + pid)
                && audit.out().contains("access-log  by cloud-server  center " + pid), audit.out());

        // A refusal reaches the user with the server's code and exit status 2; the device's own refusal is 3.
        Run twice = cli(patient + "-demo", List.of("register-card", "--user", patient, "--store", device.resolve("other.p12").toString()));
        assertEquals(2, twice.code(), twice.out());
        assertTrue(twice.err().contains("ALREADY_REGISTERED"), twice.err());
    }
}
