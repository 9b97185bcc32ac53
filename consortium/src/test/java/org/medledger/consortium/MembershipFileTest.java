package org.medledger.consortium;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medledger.consortium.testing.World;
import org.medledger.ledger.contract.ContractRegistry;
import org.medledger.ledger.crypto.P256SignatureScheme;

/** The membership file the authority issues is the consortium every node builds from the same keys. */
class MembershipFileTest {

    private final World w = new World(3);

    private List<MembershipFile.Producer> producers() {
        List<MembershipFile.Producer> ps = new ArrayList<>();
        for (String h : w.hospitals) {
            ps.add(new MembershipFile.Producer(h, w.hospitalKeys.get(h).publicKey(), w.now - World.YEAR, w.now + 10 * World.YEAR));
        }
        return ps;
    }

    @Test
    void theIssuedFileDecodesToTheConsortiumOfTheseHospitalsAndKeys() {
        Consortium c = MembershipFile.issue(w.kgcKey, World.KGC, producers(), 2, P256SignatureScheme.INSTANCE);
        // the same anchors, hospitals and quorum as a consortium built by hand from the same keys (RFC 6979 certificates)
        assertArrayEquals(w.consortium.encode(), c.encode());
        byte[] file = Base64.getMimeDecoder().decode(MembershipFile.encode(c).trim());
        Consortium back = Consortium.decode(file, ContractRegistry.of(), P256SignatureScheme.INSTANCE);
        assertEquals(w.hospitals, back.hospitals());
        assertEquals(2, back.quorum());
        assertEquals(w.consortium.logId(), back.logId());
    }

    @Test
    void aQuorumBelowAMajorityOrABadKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> MembershipFile.issue(w.kgcKey, World.KGC, producers(), 1, P256SignatureScheme.INSTANCE));
        List<MembershipFile.Producer> bad = new ArrayList<>(producers());
        bad.set(1, new MembershipFile.Producer("hospital-b", new byte[33], 0, 1));
        assertThrows(IllegalArgumentException.class, () -> MembershipFile.issue(w.kgcKey, World.KGC, bad, 2, P256SignatureScheme.INSTANCE));
    }
}
