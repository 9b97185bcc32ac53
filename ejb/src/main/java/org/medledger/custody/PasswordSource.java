package org.medledger.custody;

import org.medledger.platform.DomainException;

/** Where the password of a server key store comes from, by credential alias. */
@FunctionalInterface
public interface PasswordSource {

    /** A fresh copy of the password under {@code alias}; the caller wipes it after use. */
    char[] password(String alias) throws DomainException;
}
