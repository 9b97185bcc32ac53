package org.medledger.client.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.medledger.client.ApiProblem;
import org.medledger.client.AuditFailure;
import org.medledger.client.CertificateLogin;
import org.medledger.client.KeycloakLogin;
import org.medledger.client.emrauth.DeviceStore;
import org.medledger.protocol.common.ProtocolException;

/**
 * What every scheme's commands share: the option syntax ({@code --name value}, only known names), secrets read from
 * an environment variable or the console (never from an argument, so never in a process list or a shell history),
 * the logins at Keycloak (password for patients and staff, certificate for doctors), the device key store, and one
 * reading of a failure as a message and an exit code: 1 usage, 2 refused by the server, 3 rejected or failed a
 * check on this device, 4 I/O.
 */
final class Terminal {
    /** bin/run's API (HTTPS; trust its authority with MEDLEDGER_CA_CERT). */
    static final String DEFAULT_API = "https://127.0.0.1:8443/api";
    /** bin/run's Keycloak (HTTPS only; the same authority as the API). */
    static final String DEFAULT_KEYCLOAK = "https://127.0.0.1:18443";
    static final String DEFAULT_KEYCLOAK_HTTPS = "https://127.0.0.1:18443";

    final PrintStream out;
    final PrintStream err;
    final HttpClient http = HttpClient.newHttpClient();
    private final Function<String, String> env;

    Terminal(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** {@code args[first..]} as {@code --name value} pairs; an unknown name or a missing value is a usage error. */
    static Map<String, String> options(String[] args, int first, Set<String> allowed) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = first; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("bad option: " + a);
            }
            String key = a.substring(2);
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown option: " + a);
            }
            m.put(key, args[++i]);
        }
        return m;
    }

    static void require(Map<String, String> o, String... names) {
        for (String n : names) {
            if (!o.containsKey(n)) {
                throw new IllegalArgumentException("--" + n + " is required");
            }
        }
    }

    /** The server's API base ({@code --api}). */
    static URI api(Map<String, String> o) {
        return URI.create(o.getOrDefault("api", DEFAULT_API));
    }

    /** The secret in environment variable {@code var}, else asked on the console; the caller clears it after use. */
    char[] secret(String var, String prompt) throws IOException {
        String v = env.apply(var);
        if (v != null) {
            return v.toCharArray();
        }
        Console c = System.console();
        if (c == null) {
            throw new IOException("no password: set " + var + " or run in a terminal");
        }
        return c.readPassword(prompt);
    }

    /** A patient's or staff member's access token: {@code --user}'s password login at Keycloak's CLI client ({@code --client-id}). */
    String passwordToken(Map<String, String> o) throws IOException, InterruptedException, ApiProblem {
        char[] password = secret(o.getOrDefault("password-env", "MEDLEDGER_PASSWORD"), "Password: ");
        try {
            return new KeycloakLogin(http, URI.create(o.getOrDefault("keycloak", DEFAULT_KEYCLOAK)),
                    o.getOrDefault("realm", "medledger"), o.getOrDefault("client-id", "medledger-cli")).accessToken(o.get("user"), password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** A doctor's access token: the certificate login ({@code --certificate}, {@code --ca}); key password from the environment. */
    String doctorToken(Map<String, String> o) throws IOException, InterruptedException, ApiProblem {
        require(o, "certificate", "ca");
        char[] keyPassword = secret("MEDLEDGER_KEY_PASSWORD", "Certificate password: ");
        try {
            return CertificateLogin.accessToken(URI.create(o.getOrDefault("keycloak-https", DEFAULT_KEYCLOAK_HTTPS)),
                    o.getOrDefault("realm", "medledger"), Path.of(o.get("certificate")), keyPassword, Path.of(o.get("ca")));
        } finally {
            Arrays.fill(keyPassword, '\0');
        }
    }

    /** The device key store of {@code --user} ({@code --store}, default {@code ~/.medledger/<user>.p12}). */
    DeviceStore deviceStore(Map<String, String> o) throws IOException {
        char[] password = secret("MEDLEDGER_DEVICE_PASSWORD", "Device key store password: ");
        try {
            return DeviceStore.open(o.containsKey("store") ? Path.of(o.get("store"))
                    : Path.of(System.getProperty("user.home"), ".medledger", o.get("user") + ".p12"), password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Says what failed on standard error and returns the exit code; anything unexpected is rethrown. */
    int failed(Exception e, String usage) {
        if (e instanceof IllegalArgumentException) {
            err.println(e.getMessage());
            err.print(usage);
            return 1;
        }
        if (e instanceof ApiProblem) {
            err.println("Refused: " + e.getMessage());
            return 2;
        }
        if (e instanceof ProtocolException) {
            err.println("REJECTED on the device: " + e.getMessage());
            return 3;
        }
        if (e instanceof AuditFailure) {
            err.println("AUDIT FAILED: " + e.getMessage());
            return 3;
        }
        if (e instanceof IOException) {
            err.println("I/O error: " + e.getMessage());
            return 4;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 4;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        throw new IllegalStateException(e);
    }
}
