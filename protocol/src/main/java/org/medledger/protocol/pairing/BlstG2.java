package org.medledger.protocol.pairing;

import supranational.blst.P2;

/** A G2 element on blst (see {@link BlstPoint}). */
final class BlstG2 extends BlstPoint<G2Element, P2> implements G2Element {

    static final Ops<G2Element, P2> OPS = new Ops<>("G2", BlstG2.class, BlstG2::new, P2::new,
            P2::dup, P2::add, P2::neg, P2::mult, P2::is_inf, P2::compress);

    BlstG2(P2 point) {
        super(OPS, point);
    }
}
