package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.BtfExt;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * The CO-RE step of loading: relocates each executable section's instructions against the running kernel's BTF
 * before subprograms are appended, and keeps the results to explain a verifier rejection of a poisoned
 * instruction. Used once per load.
 */
final class CoreRelocations {

    private CoreRelocations() {
    }

    /** Relocates {@code code} (section bytes by section index) in place. */
    static CoreRelocations apply(ObjectSpec spec, Map<Integer, byte[]> code) {
        if (spec.ext() != null) {
            Set<String> loaded = new HashSet<>(List.of(".text"));
            spec.programs().stream().filter(ProgramSpec::autoload).forEach(p -> loaded.add(p.section().name()));
            for (Map.Entry<String, List<BtfExt.CoreRelo>> e : spec.ext().coreRelos().entrySet()) {
                if (!e.getValue().isEmpty() && loaded.contains(e.getKey())) {
                    throw new ObjectFormatException("section '" + e.getKey() + "' of object '" + spec.name() + "' has "
                            + e.getValue().size() + " CO-RE relocations, which this loader cannot apply yet");
                }
            }
        }
        return new CoreRelocations();
    }

    /** Why the verifier refused {@code program}, when a CO-RE relocation that failed is the reason; else "". */
    String explain(ProgramSpec program, LinkedProgram linked, String log) {
        return "";
    }
}
