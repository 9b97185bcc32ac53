package org.medledger.protocol.interhospital;

import java.util.List;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/** Encoding helpers shared by the contract payloads. */
final class Contracts {

    static final String PREFIX = "INTER-HOSPITAL/contract/";
    static final int MAX_LIST = 10_000;

    private Contracts() {
    }

    static LabelledEncoder encoder(String contract) {
        return LabelledEncoder.of(PREFIX + contract);
    }

    static LabelledEncoder list(LabelledEncoder e, List<String> items) {
        e.int32(items.size());
        items.forEach(e::utf8);
        return e;
    }

    static List<String> readList(LabelledDecoder d) throws ProtocolException {
        int n = d.int32();
        if (n < 0 || n > MAX_LIST) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "list length out of range");
        }
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = d.utf8();
        }
        return List.of(out);
    }
}
