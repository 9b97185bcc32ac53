package org.medledger.ledger.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.contract.Contract;
import org.medledger.ledger.contract.ContractRegistry;
import org.medledger.ledger.contract.Invocation;
import org.medledger.ledger.crypto.SignatureScheme;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.state.RecordingState;
import org.medledger.ledger.state.StateReader;
import org.medledger.ledger.tx.Endorsement;
import org.medledger.ledger.tx.Transaction;

/**
 * The rules every transaction must pass, shared by the node and the verifier: registered,
 * active submitter and endorsers (directory reads are part of the read set), the contract's
 * endorsement policy, and a successful deterministic execution.
 */
public final class TransactionProcessor {
    private final ContractRegistry contracts;
    private final MemberDirectory directory;
    private final SignatureScheme scheme;

    public TransactionProcessor(ContractRegistry contracts, MemberDirectory directory, SignatureScheme scheme) {
        this.contracts = contracts;
        this.directory = directory;
        this.scheme = scheme;
    }

    public SignatureScheme scheme() {
        return scheme;
    }

    public MemberDirectory directory() {
        return directory;
    }

    public ContractRegistry contracts() {
        return contracts;
    }

    /** Executes {@code tx} against {@code state} without verifying signatures; see {@link #verify(Prepared)}. */
    public Prepared prepare(Transaction tx, StateReader state) {
        Contract contract = contracts.require(tx.body().contract(), tx.body().function());
        long at = tx.body().timestamp();
        RecordingState rs = new RecordingState(state);
        Digest id = tx.id();
        List<SignatureCheck> sigs = new ArrayList<>();
        MemberCertificate submitter = directory.active(tx.body().submitter(), at, rs);
        sigs.add(new SignatureCheck("submitter " + submitter.memberId(), submitter.publicKey(), tx.body().signingBytes(), tx.signature()));
        Map<String, Role> endorsers = new HashMap<>();
        byte[] endorsed = Endorsement.signingBytes(id);
        for (Endorsement e : tx.endorsements()) {
            MemberCertificate c = directory.active(e.endorser(), at, rs);
            sigs.add(new SignatureCheck("endorser " + c.memberId(), c.publicKey(), endorsed, e.signature()));
            endorsers.put(c.memberId(), c.role());
        }
        Invocation call = new Invocation(id, submitter.memberId(), submitter.role(), tx.body().function(), tx.body().args(), at, endorsers);
        contract.policy(tx.body().function()).check(call, rs);
        contract.invoke(call, rs);
        return new Prepared(tx, rs.readWriteSet(), sigs);
    }

    /** Verifies every signature a prepared transaction depends on. */
    public void verify(Prepared p) {
        for (SignatureCheck c : p.signatures()) {
            if (!c.verify(scheme)) {
                throw new LedgerException(LedgerReason.BAD_SIGNATURE, "bad signature of " + c.who());
            }
        }
    }
}
