package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.internal.btf.BtfExt;
import io.reactorbpf.core.internal.btf.CoreRelocator;
import io.reactorbpf.core.internal.btf.CoreResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CO-RE step of loading: relocates each executable section's instructions against the running kernel's BTF
 * before subprograms are appended, and keeps the results to explain a verifier rejection of a poisoned
 * instruction. Used once per load.
 */
final class CoreRelocations {

    /** The verifier names the failing instruction "N: (85) call unknown#195896080" or "invalid func unknown#195896080". */
    private static final Pattern POISONED = Pattern.compile("(?m)^(\\d+): \\(85\\) call unknown#" + CoreRelocator.POISON_IMM);

    private final List<CoreResult> results;

    private CoreRelocations(List<CoreResult> results) {
        this.results = results;
    }

    /** Relocates {@code code} (section bytes by section index) in place; the kernel BTF is read only when needed. */
    static CoreRelocations apply(ObjectSpec spec, Map<Integer, byte[]> code) {
        BtfExt ext = spec.ext();
        Btf local = spec.btf().orElse(null);
        List<CoreResult> results = new ArrayList<>();
        if (ext == null || local == null || ext.coreRelos().isEmpty()) {
            return new CoreRelocations(results);
        }
        CoreRelocator relocator = new CoreRelocator(Btf.vmlinux());
        for (CodeSection section : spec.code().values()) {
            List<BtfExt.CoreRelo> relos = ext.coreRelos().get(section.name());
            if (relos != null && !relos.isEmpty()) {
                results.addAll(relocator.apply(local, section.name(), code.get(section.index()), relos));
            }
        }
        return new CoreRelocations(results);
    }

    /**
     * Why the verifier refused {@code program}, when a CO-RE relocation that failed is the reason; else "".
     * {@code toLinked} maps the log's instruction indexes to those of {@code linked} (-1: an instruction the
     * loader added).
     */
    String explain(ProgramSpec program, LinkedProgram linked, String log, IntUnaryOperator toLinked) {
        Matcher m = POISONED.matcher(log);
        StringBuilder why = new StringBuilder();
        while (m.find()) {
            int loaded = Integer.parseInt(m.group(1));
            int insn = toLinked.applyAsInt(loaded);
            if (insn < 0) {
                continue;
            }
            for (LinkedProgram.Placed p : linked.layout()) {
                CodeFunction f = p.function();
                int size = f.size() / 8;
                if (insn < p.start() || insn >= p.start() + size) {
                    continue;
                }
                int sectionInsn = f.offset() / 8 + insn - p.start();
                for (CoreResult r : results) {
                    if (r.poisoned() && r.section().equals(f.sectionName()) && r.insnIndex() == sectionInsn) {
                        why.append("instruction ").append(loaded).append(" of program '").append(program.name())
                                .append("' (function '").append(f.name()).append("') uses CO-RE relocation ")
                                .append(r.relo().kind()).append(" on ").append(r.description())
                                .append(" (access path ").append(r.relo().accessString())
                                .append("), which the running kernel's BTF cannot satisfy; guard it with "
                                        + "bpf_core_field_exists() or bpf_core_type_exists()\n");
                    }
                }
            }
        }
        return why.toString().strip();
    }
}
