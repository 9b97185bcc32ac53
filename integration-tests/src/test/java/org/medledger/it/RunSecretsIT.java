package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Least privilege in the run command: which process {@code bin/run} hands which secret. The expected
 * table below is the specification; the test runs bin/lib.sh's own secret handling (the functions bin/run
 * uses) in a scratch installation, reads each role's real process environment, and checks bin/run's
 * text starts every process that gets a secret through them, with no secret on a command line.
 * No server is started.
 */
class RunSecretsIT {

    /** Per role: the environment variable it receives, and which of the installation's secrets it holds. */
    private static final Map<String, Map<String, String>> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("wildfly-config", Map.of("MEDLEDGER_CREDENTIAL_STORE_PASSWORD", "MEDLEDGER_CREDENTIAL_STORE_PASSWORD"));
        EXPECTED.put("consortium-membership", Map.of("MEDLEDGER_CREDENTIAL_STORE_PASSWORD", "MEDLEDGER_CREDENTIAL_STORE_PASSWORD"));
        EXPECTED.put("wildfly", Map.of("MEDLEDGER_CREDENTIAL_STORE_PASSWORD", "MEDLEDGER_CREDENTIAL_STORE_PASSWORD",
                "MEDLEDGER_PORTAL_CLIENT_SECRET", "MEDLEDGER_PORTAL_CLIENT_SECRET",
                "MEDLEDGER_SERVER_CLIENT_SECRET", "MEDLEDGER_SERVER_CLIENT_SECRET"));
        EXPECTED.put("wildfly-postgresql", Map.of("MEDLEDGER_CREDENTIAL_STORE_PASSWORD", "MEDLEDGER_CREDENTIAL_STORE_PASSWORD",
                "MEDLEDGER_PORTAL_CLIENT_SECRET", "MEDLEDGER_PORTAL_CLIENT_SECRET",
                "MEDLEDGER_SERVER_CLIENT_SECRET", "MEDLEDGER_SERVER_CLIENT_SECRET",
                "MEDLEDGER_DB_PASSWORD", "MEDLEDGER_DB_PASSWORD"));
        // the cluster's helper creates the server's role and Keycloak's
        EXPECTED.put("postgresql", Map.of("MEDLEDGER_DB_PASSWORD", "MEDLEDGER_DB_PASSWORD",
                "MEDLEDGER_KEYCLOAK_DB_PASSWORD", "MEDLEDGER_KEYCLOAK_DB_PASSWORD"));
        // Keycloak: its first administrator and its trust store; not the realm's client secrets, not the KGC's
        EXPECTED.put("keycloak", Map.of("KC_BOOTSTRAP_ADMIN_PASSWORD", "KC_BOOTSTRAP_ADMIN_PASSWORD",
                "KC_HTTPS_TRUST_STORE_PASSWORD", "MEDLEDGER_TRUSTSTORE_PASSWORD"));
        // on PostgreSQL also its own database role's password, not the server's
        EXPECTED.put("keycloak-postgresql", Map.of("KC_BOOTSTRAP_ADMIN_PASSWORD", "KC_BOOTSTRAP_ADMIN_PASSWORD",
                "KC_HTTPS_TRUST_STORE_PASSWORD", "MEDLEDGER_TRUSTSTORE_PASSWORD",
                "KC_DB_PASSWORD", "MEDLEDGER_KEYCLOAK_DB_PASSWORD"));
        EXPECTED.put("keycloak-realm", Map.of("MEDLEDGER_KEYCLOAK_ADMIN_PASSWORD", "KC_BOOTSTRAP_ADMIN_PASSWORD",
                "MEDLEDGER_PORTAL_CLIENT_SECRET", "MEDLEDGER_PORTAL_CLIENT_SECRET",
                "MEDLEDGER_SERVER_CLIENT_SECRET", "MEDLEDGER_SERVER_CLIENT_SECRET"));
        // the OCSP responder holds its delegated key's password, never the CA's
        EXPECTED.put("ocsp-responder", Map.of("MEDLEDGER_OCSP_KEY_PASSWORD", "MEDLEDGER_OCSP_KEY_PASSWORD"));
        EXPECTED.put("crl-publisher", Map.of("MEDLEDGER_CA_PASSWORD", "MEDLEDGER_CA_PASSWORD"));
        EXPECTED.put("medical-authority", Map.of("MEDLEDGER_CA_PASSWORD", "MEDLEDGER_CA_PASSWORD"));
        EXPECTED.put("medical-authority-trust", Map.of("MEDLEDGER_CA_PASSWORD", "MEDLEDGER_CA_PASSWORD",
                "MEDLEDGER_TRUSTSTORE_PASSWORD", "MEDLEDGER_TRUSTSTORE_PASSWORD"));
        EXPECTED.put("medical-authority-doctor", Map.of("MEDLEDGER_CA_PASSWORD", "MEDLEDGER_CA_PASSWORD",
                "MEDLEDGER_DOCTOR_KEY_PASSWORD", "MEDLEDGER_DOCTOR_KEY_PASSWORD"));
        EXPECTED.put("medical-authority-ocsp", Map.of("MEDLEDGER_CA_PASSWORD", "MEDLEDGER_CA_PASSWORD",
                "MEDLEDGER_OCSP_KEY_PASSWORD", "MEDLEDGER_OCSP_KEY_PASSWORD"));
        // the TLS authority's own password, under the name the ca tool reads
        EXPECTED.put("tls-authority", Map.of("MEDLEDGER_CA_PASSWORD", "MEDLEDGER_TLS_CA_PASSWORD"));
    }

    private static final Path ROOT = Path.of(ItConfig.require("medledger.it.root")).toAbsolutePath().normalize();
    private static final String CANARY = "canary-secret-from-the-callers-environment";

    @Test
    void eachProcessGetsExactlyTheSecretsItsRoleNeeds() throws Exception {
        Path dir = Files.createTempDirectory(ItConfig.output(), "run-secrets");
        Path file = dir.resolve("secrets.env");
        // one shell as bin/run: load the installation's secrets, then start each role's process (here: a
        // dump of its own environment and command line); the caller's environment carries stray secrets
        String script = ". \"$1/bin/lib.sh\"; load_secrets \"$2\"\n"
                + "echo '@@role none'; cat /proc/self/environ; echo\n"
                + "for role in \"${MEDLEDGER_SECRET_ROLES[@]}\"; do\n"
                + "  echo \"@@role $role\"; with_secrets \"$role\" cat /proc/self/environ; echo\n"
                + "  echo \"@@cmdline $role\"; with_secrets \"$role\" cat /proc/self/cmdline; echo\n"
                + "done\n";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script, "run-secrets", ROOT.toString(), file.toString())
                .redirectErrorStream(true);
        for (String name : List.of("MEDLEDGER_CA_PASSWORD", "KC_BOOTSTRAP_ADMIN_PASSWORD", "MEDLEDGER_KEYCLOAK_ADMIN_PASSWORD",
                "KC_DB_PASSWORD", "KC_HTTPS_TRUST_STORE_PASSWORD", "MEDLEDGER_CREDENTIAL_STORE_PASSWORD")) {
            pb.environment().put(name, CANARY);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);

        // the file: only its owner reads it; every secret present, distinct, long enough
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Map<String, String> secrets = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            secrets.put(line.substring(0, eq), line.substring(eq + 1));
        }
        assertEquals(11, secrets.size(), secrets.keySet().toString());
        assertEquals(secrets.size(), new HashSet<>(secrets.values()).size(), "a secret value is reused");
        secrets.values().forEach(v -> assertTrue(v.length() >= 24, "a secret is too short"));

        Map<String, String> environments = new TreeMap<>();
        Map<String, String> cmdlines = new TreeMap<>();
        String[] sections = out.split("@@");
        for (String section : sections) {
            if (section.startsWith("role ")) {
                int nl = section.indexOf('\n');
                environments.put(section.substring(5, nl), section.substring(nl + 1));
            } else if (section.startsWith("cmdline ")) {
                int nl = section.indexOf('\n');
                cmdlines.put(section.substring(8, nl), section.substring(nl + 1));
            }
        }
        assertEquals(new java.util.TreeSet<>(EXPECTED.keySet()), new java.util.TreeSet<>(cmdlines.keySet()),
                "bin/lib.sh's roles are not the expected ones");
        // without a role (the build, curl, anything bin/run runs plainly): no secret at all
        assertEquals(Map.of(), secretsIn(environments.get("none"), secrets), "a process without a role holds secrets");
        for (Map.Entry<String, Map<String, String>> role : EXPECTED.entrySet()) {
            assertEquals(role.getValue(), secretsIn(environments.get(role.getKey()), secrets),
                    "the secrets handed to " + role.getKey());
            assertFalse(environments.get(role.getKey()).contains(CANARY), role.getKey() + " inherited a stray secret");
            for (String value : secrets.values()) {
                assertFalse(cmdlines.get(role.getKey()).contains(value), "a secret on " + role.getKey() + "'s command line");
            }
        }
    }

    /** Every entry of a NUL-separated environment whose value is one of the installation's secrets: name → secret name. */
    private static Map<String, String> secretsIn(String environ, Map<String, String> secrets) {
        Map<String, String> byValue = new HashMap<>();
        secrets.forEach((k, v) -> byValue.put(v, k));
        Map<String, String> found = new TreeMap<>();
        for (String entry : environ.split("\0")) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String value = entry.substring(eq + 1).strip();
            for (String secret : secrets.values()) {
                if (value.contains(secret)) {
                    assertEquals(secret, value, "a secret embedded in " + entry.substring(0, eq));
                    found.put(entry.substring(0, eq), byValue.get(secret));
                }
            }
        }
        return found;
    }

    @Test
    void binRunStartsEveryProcessWithASecretThroughItsRole() throws IOException {
        String run = Files.readString(ROOT.resolve("bin/run"));
        Set<String> names = new HashSet<>(List.of("MEDLEDGER_CREDENTIAL_STORE_PASSWORD", "MEDLEDGER_PORTAL_CLIENT_SECRET",
                "MEDLEDGER_SERVER_CLIENT_SECRET", "KC_BOOTSTRAP_ADMIN_PASSWORD", "MEDLEDGER_CA_PASSWORD",
                "MEDLEDGER_TLS_CA_PASSWORD", "MEDLEDGER_TRUSTSTORE_PASSWORD", "MEDLEDGER_DOCTOR_KEY_PASSWORD",
                "MEDLEDGER_OCSP_KEY_PASSWORD", "MEDLEDGER_DB_PASSWORD", "MEDLEDGER_KEYCLOAK_DB_PASSWORD"));
        // a secret's value is expanded only to go to curl on its standard input (printf is a shell builtin)
        Matcher expansion = Pattern.compile("\\$\\{?([A-Z_][A-Z0-9_]*)").matcher(run);
        while (expansion.find()) {
            if (names.contains(expansion.group(1))) {
                String line = run.substring(run.lastIndexOf('\n', expansion.start()) + 1, run.indexOf('\n', expansion.start()));
                assertTrue(line.matches("\\s*admin_token=\\$\\(printf '%s' \"\\$KC_BOOTSTRAP_ADMIN_PASSWORD\" \\| curl .*"),
                        "bin/run expands a secret outside with_secrets: " + line.strip());
            }
        }
        // no NAME=value assignment of a secret (it would hand the value to whatever command follows)
        for (String name : names) {
            assertFalse(Pattern.compile("(^|[\\s;(])" + name + "=").matcher(run).find(), "bin/run assigns " + name);
        }
        // every role bin/run uses is one the table above checks
        Matcher role = Pattern.compile("with_secrets\\s+\"?\\$?([a-z_-]+)").matcher(run);
        int uses = 0;
        while (role.find()) {
            uses++;
            String r = role.group(1);
            assertTrue(EXPECTED.containsKey(r) || r.equals("role") || r.equals("wildfly_role") || r.equals("kc_role"),
                    "unknown role " + r);
        }
        Matcher authority = Pattern.compile("\\n\\s*ma ([a-z-]+) ").matcher(run);
        while (authority.find()) {
            uses++;
            assertTrue(EXPECTED.containsKey(authority.group(1)), "unknown role " + authority.group(1));
        }
        assertTrue(uses >= 10, "bin/run no longer starts its processes through with_secrets");
        assertTrue(run.contains("load_secrets \"$state/secrets.env\""), "bin/run loads its secrets elsewhere");
    }
}
