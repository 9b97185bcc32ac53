package org.medledger.interhospital;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.medledger.consensus.ForwardedRegistration;
import org.medledger.platform.DomainException;

/** INTER-HOSPITAL's hospital partial-key renewal as forwarded to the authority ({@link InterHospitalKeyRenewal#renewForNode}). */
@ApplicationScoped
public class HospitalRenewalForwarding implements ForwardedRegistration {

    @Inject
    InterHospitalKeyRenewal renewal;

    @Override
    public String purpose() {
        return ConsortiumAuthority.RENEWAL;
    }

    @Override
    public byte[] signedContent(byte[] payload) throws DomainException {
        return renewal.forwardedContent(payload);
    }

    @Override
    public byte[] register(String nodeId, byte[] payload) throws DomainException {
        return renewal.renewForNode(nodeId, payload);
    }
}
