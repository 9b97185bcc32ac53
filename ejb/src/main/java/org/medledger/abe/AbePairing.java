package org.medledger.abe;

import java.util.logging.Logger;

import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.pairing.PairingGroup;
import org.medledger.protocol.pairing.PairingGroups;

/**
 * The BLS12-381 implementation this server uses for ABE-CHAIN, chosen once per deployment:
 * the one named by {@code medledger.pairing} (set to {@code native} by
 * {@code wildfly-config/configure-pairing.cli}, which installs blst as the server module
 * {@code foundation.icon.blst}, loaded once per JVM so redeploys keep working), and the pure-Java
 * implementation as the fallback when the native library cannot be loaded. The health output
 * reports which one runs and whether it is the fallback.
 */
public final class AbePairing {

    private static final Logger LOG = Logger.getLogger(AbePairing.class.getName());

    /** The implementation in use: its name, the one asked for, and why it differs if it does. */
    public record Status(String implementation, String requested, boolean fallback, String reason) {
    }

    private static volatile Selected selected;

    private record Selected(PairingGroup group, Status status) {
    }

    private AbePairing() {
    }

    public static PairingGroup group() {
        return select().group();
    }

    public static Status status() {
        return select().status();
    }

    private static Selected select() {
        Selected s = selected;
        if (s == null) {
            synchronized (AbePairing.class) {
                s = selected;
                if (s == null) {
                    s = choose(System.getProperty(PairingGroups.PROPERTY, PairingGroups.PURE_JAVA));
                    selected = s;
                    Status st = s.status();
                    if (st.fallback()) {
                        LOG.warning(() -> "ABE-CHAIN pairing: " + st.requested() + " unavailable (" + st.reason()
                                + "); using the pure-Java fallback");
                    } else {
                        LOG.info(() -> "ABE-CHAIN pairing: " + st.implementation());
                    }
                }
            }
        }
        return s;
    }

    private static Selected choose(String requested) {
        try {
            return new Selected(PairingGroups.named(requested), new Status(requested, requested, false, ""));
        } catch (ProtocolException | LinkageError | IllegalStateException e) {
            String reason = e instanceof ProtocolException p ? p.detail() : e.getClass().getSimpleName();
            return new Selected(fallback(), new Status(PairingGroups.PURE_JAVA, requested, true, reason));
        }
    }

    private static PairingGroup fallback() {
        try {
            return PairingGroups.named(PairingGroups.PURE_JAVA);
        } catch (ProtocolException e) {
            throw new IllegalStateException("the pure-Java pairing cannot be loaded", e);
        }
    }
}
