package org.medledger.health.probe;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The deployment's {@link ServerProbe}, registered by the EJB module when it starts and withdrawn
 * when it stops. This class lives in the EAR's lib/, so each deployment of the EAR has its own copy;
 * the MicroProfile Health checks of this package (which WildFly only collects from lib/) read it.
 * Until a probe is registered, and after it is withdrawn, every check is DOWN.
 */
public final class Probes {

    private static final AtomicReference<ServerProbe> CURRENT = new AtomicReference<>();

    private Probes() {
    }

    public static void register(ServerProbe probe) {
        CURRENT.set(java.util.Objects.requireNonNull(probe));
    }

    /** Withdraws {@code probe} if it is still the registered one. */
    public static void withdraw(ServerProbe probe) {
        CURRENT.compareAndSet(probe, null);
    }

    public static Optional<ServerProbe> current() {
        return Optional.ofNullable(CURRENT.get());
    }
}
