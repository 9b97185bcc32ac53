package org.medledger.ledger.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link PostgresCluster} per test run (shared through the root context, stopped at
 * the end) and injects it. Missing binaries fail the test class.
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {
    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    public static PostgresCluster cluster(ExtensionContext context) {
        PostgresCluster.requireBinaries();
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(PostgresCluster.class, k -> {
                    try {
                        return PostgresCluster.start();
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot start PostgreSQL", e);
                    }
                }, PostgresCluster.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == PostgresCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return cluster(e);
    }
}
