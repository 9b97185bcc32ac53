package org.medledger.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The protocol core is pure Java: no container API and no I/O of its own (network, files,
 * databases). Callers bring the network legs (e.g. {@code OcspTransport}). Checked over the
 * sources, so a new class that opens a socket or a file fails the build.
 */
class PureCoreTest {

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    private static final List<String> FORBIDDEN = List.of(
            "jakarta.", "javax.persistence.", "javax.ejb.", "javax.ws.", "java.sql.", "javax.sql.",
            "java.net.http.", "java.net.Socket", "java.net.ServerSocket", "java.net.URL", "java.net.HttpURLConnection",
            "java.nio.file.", "java.nio.channels.", "java.io.File", "java.io.RandomAccessFile", "com.sun.net.");

    @Test
    void mainSourcesImportNoContainerOrIoApi() throws IOException {
        Path main = Path.of("src", "main", "java");
        assertTrue(Files.isDirectory(main), "run from the protocol module: " + main.toAbsolutePath());
        List<String> offences = new ArrayList<>();
        int files = 0;
        try (Stream<Path> sources = Files.walk(main)) {
            for (Path source : (Iterable<Path>) sources.filter(p -> p.toString().endsWith(".java"))::iterator) {
                files++;
                String text = Files.readString(source);
                Matcher m = IMPORT.matcher(text);
                while (m.find()) {
                    String imported = m.group(1);
                    FORBIDDEN.stream().filter(imported::startsWith)
                            .forEach(f -> offences.add(main.relativize(source) + ": " + imported));
                }
                String body = IMPORT.matcher(text).replaceAll("");
                for (String f : FORBIDDEN) {
                    if (Pattern.compile("\\b" + Pattern.quote(f) + (f.endsWith(".") ? "" : "\\b")).matcher(body).find()) {
                        offences.add(main.relativize(source) + ": uses " + f + " by its full name");
                    }
                }
            }
        }
        assertTrue(files > 50, "found the core's sources");
        assertEquals(List.of(), offences);
    }
}
