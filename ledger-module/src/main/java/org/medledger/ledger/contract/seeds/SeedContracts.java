package org.medledger.ledger.contract.seeds;

import org.medledger.ledger.contract.ContractRegistry;
import org.medledger.ledger.crypto.SignatureScheme;
import org.medledger.ledger.member.TrustAnchors;

/** The registry of every seed contract. */
public final class SeedContracts {
    private SeedContracts() {
    }

    public static ContractRegistry registry(TrustAnchors anchors, SignatureScheme scheme) {
        return ContractRegistry.of(new MemberContract(anchors, scheme), new InterHospitalContract(), new CloudChainContract(scheme),
                new AbeChainContract(), new GroupAggContract(), new ConsentContract(), new AccessContract(),
                new KeyRotationContract());
    }
}
