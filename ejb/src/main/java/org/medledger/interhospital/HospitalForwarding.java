package org.medledger.interhospital;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.medledger.consensus.ForwardedRegistration;
import org.medledger.platform.DomainException;

/**
 * An INTER-HOSPITAL hospital request as a node forwards it to the authority: what the hospital
 * signed ({@link ForwardedRegistration#signedContent}) and what the authority does with it. Two
 * named instances ({@link Instances}): the hospital's registration ({@link InterHospitalService#registerForNode})
 * and its partial-key renewal ({@link InterHospitalKeyRenewal#renewForNode}).
 */
public record HospitalForwarding(String purpose, Content content, Execution execution) implements ForwardedRegistration {

    /** The identity of what the hospital signed in a payload (checked). */
    @FunctionalInterface
    public interface Content {
        byte[] of(byte[] payload) throws DomainException;
    }

    /** The authority's work on a payload node {@code nodeId} forwarded, recorded as asked by {@code requestedBy}. */
    @FunctionalInterface
    public interface Execution {
        byte[] run(String nodeId, String requestedBy, byte[] payload) throws DomainException;
    }

    @Override
    public byte[] signedContent(byte[] payload) throws DomainException {
        return content.of(payload);
    }

    @Override
    public byte[] register(String nodeId, String requestedBy, byte[] payload) throws DomainException {
        return execution.run(nodeId, requestedBy, payload);
    }

    /** The instances, one per purpose. */
    @ApplicationScoped
    public static class Instances {

        @Inject
        InterHospitalService service;

        @Inject
        InterHospitalKeyRenewal renewal;

        @Produces
        @Named("hospitalRegistration")
        HospitalForwarding registration() {
            return new HospitalForwarding(ConsortiumAuthority.REGISTRATION, service::forwardedContent, service::registerForNode);
        }

        @Produces
        @Named("hospitalRenewal")
        HospitalForwarding renewal() {
            return new HospitalForwarding(ConsortiumAuthority.RENEWAL, renewal::forwardedContent, renewal::renewForNode);
        }
    }
}
