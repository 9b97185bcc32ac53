package org.medledger.ledger.verify;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.medledger.ledger.contract.seeds.SeedContracts;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.TrustAnchors;

/**
 * Command line verifier, no database needed:
 * {@code java -cp medledger-ledger.jar:... org.medledger.ledger.verify.VerifierCli --anchors FILE --export FILE [--checkpoint FILE]}.
 * Exit status 0 = verified, 1 = the chain is bad (the first bad block / transaction / tree
 * head is printed), 2 = usage or I/O error.
 */
public final class VerifierCli {
    private VerifierCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path anchors = null;
        Path export = null;
        Path checkpoint = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--anchors" -> anchors = Path.of(args[i + 1]);
                case "--export" -> export = Path.of(args[i + 1]);
                case "--checkpoint" -> checkpoint = Path.of(args[i + 1]);
                default -> {
                    return usage(err);
                }
            }
        }
        if (anchors == null || export == null || args.length % 2 != 0) {
            return usage(err);
        }
        try {
            TrustAnchors a = TrustAnchors.decode(Files.readAllBytes(anchors));
            Optional<SignedTreeHead> cp = checkpoint == null ? Optional.empty()
                    : Optional.of(SignedTreeHead.decode(Files.readAllBytes(checkpoint)));
            LedgerVerifier v = new LedgerVerifier(a, SeedContracts.registry(a, P256SignatureScheme.INSTANCE), P256SignatureScheme.INSTANCE);
            long t0 = System.nanoTime();
            VerificationReport r = v.verify(LedgerExport.read(export), cp);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (r.ok()) {
                out.printf("OK blocks=%d transactions=%d root=%s time=%dms%n", r.blocks(), r.transactions(), r.logRoot().hex(), ms);
                return 0;
            }
            out.println("FAILED at " + r.failure().get());
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("cannot verify: " + e.getMessage());
            return 2;
        }
    }

    private static int usage(PrintStream err) {
        err.println("usage: VerifierCli --anchors FILE --export FILE [--checkpoint FILE]");
        return 2;
    }
}
