package org.medledger.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.Optional;

import org.medledger.kgc.IssuedRegistration;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.platform.DomainException;

/** The signed-in patient's registration with the KGC. */
@Named
@RequestScoped
public class PatientView {

    @Inject
    KgcRegistrationService kgc;

    private Optional<IssuedRegistration.Record> registration;

    public IssuedRegistration.Record getRegistration() {
        if (registration == null) {
            try {
                registration = Optional.of(kgc.registration(Outcomes.user()));
            } catch (DomainException e) {
                registration = Optional.empty();
            }
        }
        return registration.orElse(null);
    }

    public boolean isRegistered() {
        return getRegistration() != null;
    }
}
