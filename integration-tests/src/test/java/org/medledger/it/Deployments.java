package org.medledger.it;

import java.io.File;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;

/** The real EAR built by the {@code ear} module, deployed unchanged. */
final class Deployments {

    private Deployments() {
    }

    static EnterpriseArchive medledgerEar() {
        File ear = new File(ItConfig.require("medledger.it.ear"));
        if (!ear.isFile()) {
            throw new IllegalStateException("EAR not found at " + ear + "; build the ear module first");
        }
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, ear);
    }
}
