package org.medledger.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.ledger.contract.seeds.GroupAggContract;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.store.memory.InMemoryLedgerStore;
import org.medledger.ledger.testing.Fixture;
import org.medledger.ledger.testing.Scenario;
import org.medledger.ledger.tx.Arguments;

class VerifierCliTest {
    private final Fixture fx = new Fixture();

    private record Run(int status, String out) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = VerifierCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void verifiesAnExportWithoutDatabaseAndNamesTheFirstBadTransaction(@TempDir Path dir) throws Exception {
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        Receipt marked;
        try (Ledger ledger = fx.open(store)) {
            Scenario.populate(fx, ledger, 60, 7);
            marked = ledger.submitAndWait(fx.tx("pat-1", GroupAggContract.NAME, "upload", Arguments.builder().put("kind", "PHR")
                    .put("recordId", "marked").put("receiver", "g").put("recordTime", 1).put("brief", "MARKER-0123456789")
                    .put("sensitive", "s").put("groupId", "g").build()));
            fx.register(ledger, "pat-late", Role.PATIENT);
        }
        Path anchors = dir.resolve("anchors.bin");
        Path export = dir.resolve("ledger.export");
        Path checkpoint = dir.resolve("sth.bin");
        Files.write(anchors, fx.anchors.encode());
        Files.write(checkpoint, marked.treeHead().encode());
        LedgerExport.write(store, export);

        Run ok = cli("--anchors", anchors.toString(), "--export", export.toString(), "--checkpoint", checkpoint.toString());
        assertEquals(0, ok.status(), ok.out());
        assertTrue(ok.out().startsWith("OK blocks="), ok.out());

        byte[] b = Files.readAllBytes(export);
        int at = indexOf(b, "MARKER-0123456789".getBytes(StandardCharsets.UTF_8));
        b[at + 7] ^= 1;
        Files.write(export, b);
        Run bad = cli("--anchors", anchors.toString(), "--export", export.toString());
        assertEquals(1, bad.status(), bad.out());
        assertTrue(bad.out().contains("FAILED at TRANSACTION " + marked.logIndex() + ": "), bad.out());

        assertEquals(2, cli("--export", export.toString()).status());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("marker not found");
    }
}
