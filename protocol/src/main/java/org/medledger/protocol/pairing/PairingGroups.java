package org.medledger.protocol.pairing;

import java.util.Objects;

import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * Chooses the BLS12-381 implementation. Both produce the same bytes and the same pairing
 * values, so the choice is about speed and deployment only:
 * <ul>
 *   <li>{@code pure-java} (default): Apache Milagro arithmetic, no native code; safe in an
 *       application server across redeploys.</li>
 *   <li>{@code native}: blst through JNI, about ten times faster; the library must be loaded
 *       once per JVM (see docs/pairing.md for the WildFly module).</li>
 * </ul>
 * The configured name comes from the system property {@value #PROPERTY} unless given.
 */
public final class PairingGroups {

    public static final String PROPERTY = "medledger.pairing";
    public static final String PURE_JAVA = "pure-java";
    public static final String NATIVE = "native";

    private PairingGroups() {
    }

    /** The implementation named by {@value #PROPERTY}, {@code pure-java} if unset. */
    public static PairingGroup configured() throws ProtocolException {
        return named(System.getProperty(PROPERTY, PURE_JAVA));
    }

    /**
     * @throws ProtocolException {@link Reason#BAD_PARAMETER} for an unknown name, or if the
     *         native library cannot be loaded on this platform
     */
    public static PairingGroup named(String name) throws ProtocolException {
        Objects.requireNonNull(name, "implementation name is required");
        switch (name) {
            case PURE_JAVA:
                return Bls12381PureJava.get();
            case NATIVE:
                try {
                    return Bls12381.get();
                } catch (IllegalStateException e) {
                    throw new ProtocolException(Reason.BAD_PARAMETER, "native pairing library unavailable", e);
                }
            default:
                throw new ProtocolException(Reason.BAD_PARAMETER, "unknown pairing implementation: " + name);
        }
    }
}
