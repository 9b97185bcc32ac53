package org.medledger.protocol.pairing;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A G1 or G2 element on blst. Both groups have this one shape; they differ only in the binding's
 * point type ({@code P1}, {@code P2}), whose operations an {@link Ops} names, and in the public
 * element type. The wrapped point is never mutated after construction: the binding works in place,
 * so every operation here starts from a {@code dup()} of it.
 *
 * @param <E> the public element type, {@link G1Element} or {@link G2Element}
 * @param <P> the binding's point type
 */
abstract sealed class BlstPoint<E, P> permits BlstG1, BlstG2 {

    /**
     * One group on the binding: its name, its element class and constructor, and its point type's
     * identity and operations ({@code add}, {@code neg} and {@code mult} change and return their receiver).
     */
    record Ops<E, P>(String group, Class<? extends BlstPoint<E, P>> type, Function<P, E> wrap, Supplier<P> identity,
                     UnaryOperator<P> dup, BinaryOperator<P> add, UnaryOperator<P> neg,
                     BiFunction<P, BigInteger, P> mult, Predicate<P> isInf, Function<P, byte[]> compress) {

        /** {@code e} as an element of this group on blst; an element of another pairing implementation is refused. */
        BlstPoint<E, P> of(E e) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
            throw new IllegalArgumentException(group + " element from another pairing implementation");
        }
    }

    private final Ops<E, P> ops;
    /** The binding's point, never mutated. */
    final P point;

    BlstPoint(Ops<E, P> ops, P point) {
        this.ops = ops;
        this.point = point;
    }

    private P copy() {
        return ops.dup().apply(point);
    }

    private E wrap(P p) {
        return ops.wrap().apply(p);
    }

    public E add(E other) {
        return wrap(ops.add().apply(copy(), ops.of(other).point));
    }

    public E negate() {
        return wrap(ops.neg().apply(copy()));
    }

    public E multiply(BigInteger k) {
        BigInteger e = k.mod(Bls12381.ORDER);
        if (e.signum() == 0) {
            return wrap(ops.identity().get());
        }
        return wrap(ops.mult().apply(copy(), e));
    }

    public boolean isIdentity() {
        return ops.isInf().test(point);
    }

    public byte[] toBytes() {
        return ops.compress().apply(point);
    }

    @Override
    public boolean equals(Object o) {
        return ops.type().isInstance(o) && Bls12381.constantTimeEquals(toBytes(), ((BlstPoint<?, ?>) o).toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }
}
