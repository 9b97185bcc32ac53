package org.medledger.client.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.medledger.client.InstallationTrust;
import org.medledger.client.keycloak.RealmSync;

/**
 * {@code medledger keycloak-realm}: applies the realm file to a running Keycloak without touching its users
 * ({@link RealmSync}), then an optional partial-import overlay (bin/run's demo users).
 */
final class KeycloakRealmCommand {

    static final String COMMAND = "keycloak-realm";

    static final String USAGE = """
            Keycloak (run by bin/run and the test servers; docs/operations.md):
              medledger keycloak-realm --keycloak URL --realm-file FILE [--overlay FILE] [--admin-user NAME]
                                       [--ca-cert FILE.pem]
                                    creates the realm, or updates it in place when the file changed (users, their
                                    credentials and roles kept); ${NAME} placeholders come from the environment;
                                    the administrator's password from MEDLEDGER_KEYCLOAK_ADMIN_PASSWORD;
                                    --ca-cert: trust exactly this authority for Keycloak's https address (bin/run:
                                    .medledger/pki/tls-authority.pem), else MEDLEDGER_CA_CERT or the JDK's trust
            """;

    private static final Set<String> OPTIONS = Set.of("keycloak", "realm-file", "overlay", "admin-user", "ca-cert");

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> env;

    KeycloakRealmCommand(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    int run(String[] args) {
        Map<String, String> o;
        try {
            o = Terminal.options(args, 1, OPTIONS);
            Terminal.require(o, "keycloak", "realm-file");
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 1;
        }
        String password = env.apply("MEDLEDGER_KEYCLOAK_ADMIN_PASSWORD");
        if (password == null || password.isEmpty()) {
            err.println("MEDLEDGER_KEYCLOAK_ADMIN_PASSWORD is not set");
            return 1;
        }
        char[] secret = password.toCharArray();
        try {
            String realm = RealmSync.resolve(Files.readString(Path.of(o.get("realm-file"))), env);
            HttpClient http = o.containsKey("ca-cert")
                    ? HttpClient.newBuilder().sslContext(InstallationTrust.context(Path.of(o.get("ca-cert")))).build()
                    : HttpClient.newHttpClient();
            RealmSync sync = new RealmSync(http, o.get("keycloak"),
                    o.getOrDefault("admin-user", "admin"), secret);
            RealmSync.Outcome outcome = sync.apply(realm);
            out.println("realm " + outcome.name().toLowerCase(java.util.Locale.ROOT));
            if (o.containsKey("overlay")) {
                String name = jakarta.json.Json.createReader(new java.io.StringReader(realm)).readObject().getString("realm");
                sync.partialImport(name, Files.readString(Path.of(o.get("overlay"))));
                out.println("overlay applied");
            }
            return 0;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println(e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println(e.getMessage());
            return 4;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 4;
        } finally {
            Arrays.fill(secret, '\0');
        }
    }
}
