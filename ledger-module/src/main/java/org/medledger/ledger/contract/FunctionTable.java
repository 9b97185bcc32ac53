package org.medledger.ledger.contract;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.tx.Arguments;

/**
 * Base for contracts made of named functions, each with its policy; plus the checks every
 * contract repeats (role, submitter identity, insert-once, must-exist).
 */
public abstract class FunctionTable implements Contract {
    private record Fn(EndorsementPolicy policy, BiConsumer<Invocation, ContractState> body) {
    }

    private final String name;
    private final Map<String, Fn> functions = new LinkedHashMap<>();
    private final Set<String> readOnly = new HashSet<>();

    protected FunctionTable(String name) {
        this.name = name;
    }

    protected final void function(String fn, EndorsementPolicy policy, BiConsumer<Invocation, ContractState> body) {
        functions.put(fn, new Fn(policy, body));
    }

    protected final void check(String fn, BiConsumer<Invocation, ContractState> body) {
        function(fn, EndorsementPolicy.submitterOnly(), body);
        readOnly.add(fn);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<String> functions() {
        return Collections.unmodifiableSet(functions.keySet());
    }

    @Override
    public final Set<String> readOnlyFunctions() {
        return Collections.unmodifiableSet(readOnly);
    }

    @Override
    public final EndorsementPolicy policy(String function) {
        return fn(function).policy();
    }

    @Override
    public final void invoke(Invocation call, ContractState state) {
        fn(call.function()).body().accept(call, state);
    }

    private Fn fn(String function) {
        Fn f = functions.get(function);
        if (f == null) {
            throw new ContractException(LedgerReason.UNKNOWN_CONTRACT, "no function " + name + "." + function);
        }
        return f;
    }

    protected static void requireRole(Invocation call, Role... roles) {
        for (Role r : roles) {
            if (call.submitterRole() == r) {
                return;
            }
        }
        throw new ContractException(LedgerReason.WRONG_ROLE, call.submitter() + " is a " + call.submitterRole());
    }

    protected static void requireSubmitter(Invocation call, String memberId) {
        if (!call.submitter().equals(memberId)) {
            throw new ContractException(LedgerReason.NOT_AUTHORIZED, "only " + memberId + " may submit this");
        }
    }

    /** Writes {@code value} under a key that must not exist yet (the seeds' "insert" contracts). */
    protected static void insertOnce(ContractState state, String ns, String key, Bytes value) {
        if (state.exists(ns, key)) {
            throw new ContractException(LedgerReason.ALREADY_EXISTS, ns + " " + key + " already exists");
        }
        state.write(ns, key, value);
    }

    protected static Bytes requireExists(ContractState state, String ns, String key) {
        return state.read(ns, key).orElseThrow(() -> new ContractException(LedgerReason.NOT_FOUND, ns + " " + key + " not found"));
    }

    /** Record values are stored as canonical argument maps. */
    protected static Bytes record(Arguments.Builder b) {
        return Bytes.of(b.build().encode());
    }

    protected static Arguments parse(Bytes stored) {
        return Arguments.decode(stored.toArray());
    }
}
