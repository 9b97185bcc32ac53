package org.medledger.protocol.cloudchain;

import javax.security.auth.Destroyable;

import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;

/** What the smartcard recovers from {@code (ID_i, PW_i)}: {@code a_i, HID_i, r_i, x_i}. Wipe after use. */
final class CardSecrets implements Destroyable {

    final SecretBytes aI;
    final byte[] hidI;
    final SecretScalar rI;
    final SecretBytes xI;

    CardSecrets(SecretBytes aI, byte[] hidI, SecretScalar rI, SecretBytes xI) {
        this.aI = aI;
        this.hidI = hidI.clone();
        this.rI = rI;
        this.xI = xI;
    }

    @Override
    public void destroy() {
        aI.destroy();
        rI.destroy();
        xI.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return xI.isDestroyed();
    }

    @Override
    public String toString() {
        return "CardSecrets[redacted]";
    }
}
