package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;

import java.util.Map;
import java.util.Set;

/**
 * An object's {@code __kconfig} externs as opened: the laid-out {@code .kconfig} DATASEC and which externs are
 * weak. The values, from the running kernel's configuration and the spec's
 * {@link ObjectSpec#kconfig(String) kconfig lines}, are written into the {@code .kconfig} map's initial contents
 * when the object is opened and when the lines change, and checked at each load. Immutable.
 */
record KconfigSection(String mapName, Btf btf, int datasec, Set<String> weak) {

    KconfigSection {
        weak = Set.copyOf(weak);
    }

    /**
     * Writes every extern's value into {@code contents}, the {@code .kconfig} map's initial contents, as a load
     * needs them.
     *
     * @throws ObjectFormatException for a strong extern with no value, naming it and where it was looked for, or a
     *     value that does not fit its extern's type
     */
    void fill(byte[] contents, Map<String, String> overrides) {
        write(contents, weak, overrides);
    }

    /**
     * Writes the values known so far, 0 for any extern without one, so that an opened spec shows them; a strong
     * extern without a value fails only the load.
     *
     * @throws ObjectFormatException for a value that does not fit its extern's type
     */
    void preview(byte[] contents, Map<String, String> overrides) {
        write(contents, KconfigExterns.offsets(btf, datasec).keySet(), overrides);
    }

    private void write(byte[] contents, Set<String> weak, Map<String, String> overrides) {
        byte[] values = KconfigExterns.values(btf, datasec, weak, KernelConfig.running().overriddenBy(overrides));
        System.arraycopy(values, 0, contents, 0, values.length);
    }
}
