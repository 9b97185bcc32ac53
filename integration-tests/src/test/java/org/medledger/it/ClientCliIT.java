package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.client.cli.MedLedgerCli;

/** The {@code medledger register-patient} command against the real server and Keycloak. */
class ClientCliIT extends DeployedServer {

    @TempDir
    Path device;

    private int cli(ByteArrayOutputStream out, ByteArrayOutputStream err, String user, String passwordVar,
                    String patientId) {
        return MedLedgerCli.execute(new String[] {"register-patient",
                        "--user", user, "--password-env", passwordVar, "--patient-id", patientId,
                        "--keycloak", ItConfig.keycloak(), "--api", ItConfig.api(),
                        "--device-secret", device.resolve(patientId + ".bp").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void operatorEnrolsAPatientAndTheDeviceVerifiesEquationFour() {
        // Passwords reach the CLI through environment variables set by the failsafe configuration.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = cli(out, err, "kgc-operator", "MEDLEDGER_IT_OPERATOR_PASSWORD", "cli-" + UUID.randomUUID());
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("Registration verified"), printed);
        assertTrue(printed.contains("seed 000, eq. 4"), printed);
    }

    @Test
    void wrongRoleIsReportedAsARefusal() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = cli(new ByteArrayOutputStream(), err, "insurer", "MEDLEDGER_IT_INSURER_PASSWORD",
                "cli-" + UUID.randomUUID());
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("FORBIDDEN_ROLE"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void wrongPasswordIsReportedAsALoginRefusal() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = cli(new ByteArrayOutputStream(), err, "kgc-operator", "MEDLEDGER_IT_WRONG_PASSWORD",
                "cli-" + UUID.randomUUID());
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("INVALID_GRANT"), err.toString(StandardCharsets.UTF_8));
    }
}
