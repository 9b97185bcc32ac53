package org.medledger.protocol.pairing;

import supranational.blst.P1;

/** A G1 element on blst (see {@link BlstPoint}). */
final class BlstG1 extends BlstPoint<G1Element, P1> implements G1Element {

    static final Ops<G1Element, P1> OPS = new Ops<>("G1", BlstG1.class, BlstG1::new, P1::new,
            P1::dup, P1::add, P1::neg, P1::mult, P1::is_inf, P1::compress);

    BlstG1(P1 point) {
        super(OPS, point);
    }
}
