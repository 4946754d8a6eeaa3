package io.oshigan.contracts;

/** A record type whose instances can check themselves against their contract. */
interface Contract {
    void check(Checks checks);
}
