package org.medledger.protocol.pairing;

/** The pairing contract on blst (native). */
class NativeBls12381Test extends PairingGroupContract {

    @Override
    protected PairingGroup createGroup() {
        return Bls12381.get();
    }
}
