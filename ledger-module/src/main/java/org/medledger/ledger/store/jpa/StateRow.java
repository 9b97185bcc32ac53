package org.medledger.ledger.store.jpa;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

@Entity
@Table(name = "ledger_state")
@IdClass(StateRow.Key.class)
class StateRow {
    @Id
    @Column(name = "namespace", length = 100)
    String namespace;
    @Id
    @Column(name = "state_key", length = 400)
    String key;
    @Column(name = "version", nullable = false)
    long version;
    @Column(name = "state_value", nullable = false)
    byte[] value;

    protected StateRow() {
    }

    static final class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        String namespace;
        String key;

        Key() {
        }

        Key(String namespace, String key) {
            this.namespace = namespace;
            this.key = key;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.namespace.equals(namespace) && k.key.equals(key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(namespace, key);
        }
    }
}
