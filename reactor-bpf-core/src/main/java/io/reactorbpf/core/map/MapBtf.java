package io.reactorbpf.core.map;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfFormatException;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The BTF types an object declares for a map's keys and values ({@code __type(key, ...)}, {@code __type(value,
 * ...)}), with the object's BTF that holds them: what a reader decodes the map's bytes by. A global data map
 * ({@code .bss}, {@code .data}, {@code .rodata}) has no key type and a {@code DATASEC} value type whose variables
 * lie at their offsets. Immutable.
 *
 * @param btf         the object's BTF
 * @param keyTypeId   the key's type id; 0 when the object declares none
 * @param valueTypeId the value's type id (one CPU's value of a per-CPU map), never 0
 * @since 0.1
 */
public record MapBtf(Btf btf, int keyTypeId, int valueTypeId) {

    /**
     * Checks the ids against {@code btf}.
     *
     * @param btf         the object's BTF
     * @param keyTypeId   the key's type id; 0 when the object declares none
     * @param valueTypeId the value's type id, never 0
     * @throws IllegalArgumentException when an id is not a type of {@code btf}, or the value's is 0
     */
    public MapBtf {
        Objects.requireNonNull(btf, "btf");
        if (valueTypeId <= 0 || valueTypeId > btf.typeCount() || keyTypeId < 0 || keyTypeId > btf.typeCount()) {
            throw new IllegalArgumentException("type ids key " + keyTypeId + " value " + valueTypeId
                    + " are not types of a BTF with " + btf.typeCount() + " types");
        }
    }

    /**
     * Whether these types are {@code keySize} and {@code valueSize} bytes (no key type fits any key size); false
     * too when the BTF cannot size them.
     *
     * @param keySize   the map's key size in bytes
     * @param valueSize the map's value size in bytes (one CPU's, for a per-CPU map)
     * @return whether the types have those sizes
     */
    public boolean fits(int keySize, int valueSize) {
        try {
            return btf.resolveSize(valueTypeId) == valueSize
                    && (keyTypeId == 0 || btf.resolveSize(keyTypeId) == keySize);
        } catch (BtfFormatException e) {
            return false;
        }
    }

    /**
     * The key's type id, when the object declares one.
     *
     * @return the id, or empty for a map without a key type
     */
    public OptionalInt keyType() {
        return keyTypeId == 0 ? OptionalInt.empty() : OptionalInt.of(keyTypeId);
    }
}
