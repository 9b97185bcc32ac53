package org.medledger.it.roles;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RunAs;
import jakarta.ejb.Stateless;

import java.util.concurrent.Callable;

/** EjbRolesIT's front-end bean that calls on behalf of the realm role {@code insurer}. */
@Stateless(name = "AsInsurer")
@PermitAll
@RunAs("insurer")
public class AsInsurer {

    public <T> T call(Callable<T> action) throws Exception {
        return action.call();
    }
}
