package org.medledger.protocol.abe;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The linear secret-sharing scheme (M, ρ) of an {@link AccessPolicy}: an l×n matrix over
 * Z_r with one row per policy leaf, ρ(i) the leaf's attribute.
 *
 * <p>Construction (a threshold-tree generalisation of the Lewko–Waters conversion): the
 * root carries the vector (1); a k-of-n gate whose vector is v gives its j-th child the
 * vector {@code v ‖ 0… ‖ (j, j², …, j^{k-1})} in k−1 fresh columns. The child's share is
 * then q(j) for a random polynomial q of degree k−1 with q(0) equal to the gate's share,
 * so any k children reconstruct it (Lagrange) and fewer learn nothing. OR (k = 1) copies
 * v; AND (k = n) is the n-of-n case.
 *
 * <p>Shares: {@code λ_i = M_i · v} for {@code v = (s, y_2, …, y_n)} (seed 003, Encrypt_ATT).
 * Reconstruction constants ω with {@code Σ ω_i M_i = (1, 0, …, 0)} come from Gaussian
 * elimination over the rows the key holds, so {@code Σ ω_i λ_i = s}.
 */
public final class LsssMatrix {

    private final BigInteger order;
    private final List<BigInteger[]> rows;
    private final List<String> rho;
    private final int columns;

    private LsssMatrix(BigInteger order, List<BigInteger[]> rows, List<String> rho, int columns) {
        this.order = order;
        this.rows = rows;
        this.rho = rho;
        this.columns = columns;
    }

    /** Builds (M, ρ) for {@code policy} over Z_order. Deterministic: equal policies give equal matrices. */
    public static LsssMatrix of(AccessPolicy policy, BigInteger order) {
        Builder b = new Builder();
        List<BigInteger> root = new ArrayList<>();
        root.add(BigInteger.ONE);
        b.visit(policy.root(), root);
        List<BigInteger[]> dense = new ArrayList<>();
        for (List<BigInteger> r : b.rows) {
            BigInteger[] row = new BigInteger[b.columns];
            for (int c = 0; c < b.columns; c++) {
                row[c] = c < r.size() ? r.get(c).mod(order) : BigInteger.ZERO;
            }
            dense.add(row);
        }
        return new LsssMatrix(order, Collections.unmodifiableList(dense), List.copyOf(b.rho), b.columns);
    }

    public int rowCount() {
        return rows.size();
    }

    public int columnCount() {
        return columns;
    }

    /** ρ(i). */
    public String attribute(int row) {
        return rho.get(row);
    }

    /** M_i (a copy). */
    public BigInteger[] row(int i) {
        return rows.get(i).clone();
    }

    /** λ_i = M_i · v for every row (seed 003, Encrypt_ATT). */
    public BigInteger[] shares(BigInteger[] v) {
        if (v.length != columns) {
            throw new IllegalArgumentException("share vector must have " + columns + " entries");
        }
        BigInteger[] lambda = new BigInteger[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            BigInteger acc = BigInteger.ZERO;
            BigInteger[] m = rows.get(i);
            for (int c = 0; c < columns; c++) {
                acc = acc.add(m[c].multiply(v[c]));
            }
            lambda[i] = acc.mod(order);
        }
        return lambda;
    }

    /**
     * Reconstruction constants for a key holding {@code attributes}: ω_i for every row (zero
     * for rows not used), with Σ ω_i M_i = (1, 0, …, 0); empty if the attributes do not
     * satisfy the policy.
     */
    public Optional<BigInteger[]> reconstruction(Set<String> attributes) {
        List<Integer> usable = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (attributes.contains(rho.get(i))) {
                usable.add(i);
            }
        }
        // Solve A·ω = e1 with A = M_I^T (columns × |I|), by Gauss–Jordan elimination mod r.
        int m = columns;
        int n = usable.size();
        BigInteger[][] a = new BigInteger[m][n + 1];
        for (int c = 0; c < m; c++) {
            for (int j = 0; j < n; j++) {
                a[c][j] = rows.get(usable.get(j))[c];
            }
            a[c][n] = c == 0 ? BigInteger.ONE : BigInteger.ZERO;
        }
        int[] pivotColumnOfRow = new int[m];
        int rank = 0;
        for (int col = 0; col < n && rank < m; col++) {
            int pivot = -1;
            for (int r = rank; r < m; r++) {
                if (a[r][col].signum() != 0) {
                    pivot = r;
                    break;
                }
            }
            if (pivot < 0) {
                continue;
            }
            BigInteger[] tmp = a[pivot];
            a[pivot] = a[rank];
            a[rank] = tmp;
            BigInteger inv = a[rank][col].modInverse(order);
            for (int k = col; k <= n; k++) {
                a[rank][k] = a[rank][k].multiply(inv).mod(order);
            }
            for (int r = 0; r < m; r++) {
                if (r != rank && a[r][col].signum() != 0) {
                    BigInteger f = a[r][col];
                    for (int k = col; k <= n; k++) {
                        a[r][k] = a[r][k].subtract(f.multiply(a[rank][k])).mod(order);
                    }
                }
            }
            pivotColumnOfRow[rank] = col;
            rank++;
        }
        for (int r = rank; r < m; r++) {
            if (a[r][n].signum() != 0) {
                return Optional.empty(); // e1 is not in the span of the key's rows
            }
        }
        BigInteger[] omega = new BigInteger[rows.size()];
        java.util.Arrays.fill(omega, BigInteger.ZERO);
        for (int r = 0; r < rank; r++) {
            omega[usable.get(pivotColumnOfRow[r])] = a[r][n]; // free variables stay 0
        }
        return Optional.of(omega);
    }

    private static final class Builder {
        final List<List<BigInteger>> rows = new ArrayList<>();
        final List<String> rho = new ArrayList<>();
        int columns = 1;

        void visit(AccessPolicy.Node node, List<BigInteger> vector) {
            if (node instanceof AccessPolicy.Leaf leaf) {
                rows.add(vector);
                rho.add(leaf.attribute());
                return;
            }
            AccessPolicy.Gate gate = (AccessPolicy.Gate) node;
            int k = gate.k();
            int base = columns;
            columns += k - 1;
            for (int j = 1; j <= gate.children().size(); j++) {
                List<BigInteger> child = new ArrayList<>(vector);
                while (child.size() < base) {
                    child.add(BigInteger.ZERO);
                }
                BigInteger x = BigInteger.valueOf(j);
                BigInteger power = x;
                for (int e = 1; e < k; e++) {
                    child.add(power); // column base + e - 1 holds j^e
                    power = power.multiply(x);
                }
                visit(gate.children().get(j - 1), child);
            }
        }
    }
}
