package org.medledger.protocol.pairing;

/** The pairing contract on the pure-Java implementation. */
class PureJavaBls12381Test extends PairingGroupContract {

    @Override
    protected PairingGroup createGroup() {
        return Bls12381PureJava.get();
    }
}
