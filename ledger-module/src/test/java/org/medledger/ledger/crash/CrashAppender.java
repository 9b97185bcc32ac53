package org.medledger.ledger.crash;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import org.medledger.ledger.contract.seeds.GroupAggContract;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.testing.Databases;
import org.medledger.ledger.testing.Fixture;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;

/**
 * Child process of {@link CrashRecoveryTest}: appends to the database at {@code args[0]} from
 * eight threads and prints {@code ACK index txId leafHash} for every durable receipt, until it is
 * killed with SIGKILL.
 */
public final class CrashAppender {
    private CrashAppender() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        Fixture fx = new Fixture();
        Databases.JpaStore jpa = Databases.JpaStore.open(args[0]);
        Ledger ledger = fx.open(jpa.store());
        if (ledger.state("member", "pat-1").isEmpty()) {
            fx.register(ledger, "pat-1", Role.PATIENT);
        }
        String run = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(6));
        AtomicLong seq = new AtomicLong();
        synchronized (out) {
            out.println("READY");
            out.flush();
        }
        for (int w = 0; w < 8; w++) {
            Thread t = new Thread(() -> {
                while (true) {
                    long n = seq.incrementAndGet();
                    Transaction tx = fx.tx("pat-1", GroupAggContract.NAME, "upload", Arguments.builder().put("kind", "PHR")
                            .put("recordId", run + "-" + n).put("receiver", "g").put("recordTime", Fixture.NOW)
                            .put("brief", "b").put("sensitive", "s").put("groupId", "g-" + (n % 3)).build());
                    Receipt r = ledger.submitAndWait(tx);
                    synchronized (out) {
                        out.println("ACK " + r.logIndex() + " " + r.txId().hex() + " " + r.leafHash().hex());
                        out.flush();
                    }
                }
            });
            t.start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
