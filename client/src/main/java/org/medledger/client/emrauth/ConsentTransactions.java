package org.medledger.client.emrauth;

import java.security.SecureRandom;

import org.medledger.ledger.contract.seeds.ConsentContract;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.TxBody;

/**
 * Consent transactions built and signed on the patient's device with the patient's own ledger
 * key ({@code consent.grant} / {@code consent.revoke}); the server only forwards them. An EMR-AUTH
 * grant's scope is a department {@code ID_DE}: the hospital reads it before it releases or stores
 * that department's record, the public cloud before it moves its index.
 */
public final class ConsentTransactions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ConsentTransactions() {
    }

    public static byte[] grant(Signer patientKey, String patientId, String granteeId, String scope, long expiryMillis) {
        Arguments args = Arguments.builder().put("patientId", patientId).put("granteeId", granteeId).put("scope", scope)
                .put("expiry", expiryMillis).build();
        return new TxBody(patientId, ConsentContract.NAME, "grant", args, System.currentTimeMillis(), RANDOM.nextLong())
                .sign(patientKey).encode();
    }

    public static byte[] revoke(Signer patientKey, String patientId, String granteeId, String scope) {
        Arguments args = Arguments.builder().put("patientId", patientId).put("granteeId", granteeId).put("scope", scope).build();
        return new TxBody(patientId, ConsentContract.NAME, "revoke", args, System.currentTimeMillis(), RANDOM.nextLong())
                .sign(patientKey).encode();
    }
}
