package org.medledger.interhospital;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.medledger.consensus.ForwardedRegistration;
import org.medledger.platform.DomainException;

/** INTER-HOSPITAL's hospital registration as forwarded to the authority ({@link InterHospitalService#registerForNode}). */
@ApplicationScoped
public class HospitalRegistrationForwarding implements ForwardedRegistration {

    @Inject
    InterHospitalService service;

    @Override
    public String purpose() {
        return ConsortiumAuthority.REGISTRATION;
    }

    @Override
    public byte[] signedContent(byte[] payload) throws DomainException {
        return service.forwardedContent(payload);
    }

    @Override
    public byte[] register(String nodeId, byte[] payload) throws DomainException {
        return service.registerForNode(nodeId, payload);
    }
}
