package io.reactorbpf.core.btf;

import io.reactorbpf.core.internal.btf.CoreResult;
import io.reactorbpf.core.internal.btf.CoreReloKind;
import io.reactorbpf.core.internal.btf.CoreRelocator;
import io.reactorbpf.core.asm.Instruction;
import io.reactorbpf.core.testing.KernelTests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static io.reactorbpf.core.btf.CoreObject.KERNEL_PROGRAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * core_kernel.bpf.o relocated against the running kernel's BTF; needs only read access to
 * /sys/kernel/btf/vmlinux. Expected offsets are looked up in that BTF directly.
 */
class CoreKernelTest {

    private static Btf kernel;

    private final CoreObject object = CoreObject.kernel();
    private final byte[] insns = object.section(KERNEL_PROGRAM);
    private List<CoreResult> results;

    @BeforeAll
    static void kernelPublishesBtf() {
        KernelTests.require(Files.isReadable(Path.of("/sys/kernel/btf/vmlinux")), "kernel BTF at /sys/kernel/btf/vmlinux");
        kernel = Btf.vmlinux();
    }

    private List<CoreResult> results() {
        if (results == null) {
            results = new CoreRelocator(kernel).apply(object.btf(), KERNEL_PROGRAM, insns, object.relos(KERNEL_PROGRAM));
        }
        return results;
    }

    @Test
    void taskStructFieldOffsetsAreTheKernels() {
        assertEquals(kernelOffset("real_parent"), offsetOf("task_struct", "0:2"));
        assertEquals(kernelOffset("tgid"), offsetOf("task_struct", "0:1"));
        assertEquals(kernelOffset("pid"), offsetOf("task_struct", "0:0"));
    }

    @Test
    void offsetsAreWrittenIntoTheInstructions() {
        for (CoreResult r : results()) {
            if (!r.poisoned()) {
                assertEquals(r.targetValue(), Instruction.decode(insns, r.insnIndex() * 8).imm(), r.description());
            }
        }
    }

    @Test
    void madeUpFieldDoesNotExistInTheKernel() {
        List<CoreResult> exists = results().stream()
                .filter(r -> r.relo().kind() == CoreReloKind.FIELD_EXISTS).toList();
        assertFalse(exists.isEmpty());
        for (CoreResult r : exists) {
            assertFalse(r.poisoned());
            assertEquals(0, r.targetValue(), r.description());
        }
    }

    @Test
    void readGuardedByTheExistsCheckIsPoisoned() {
        CoreResult guarded = results().stream()
                .filter(r -> r.relo().kind() == CoreReloKind.FIELD_BYTE_OFFSET
                        && object.btf().type(r.relo().typeId()).name().equals("task_struct___future"))
                .findFirst().orElseThrow();
        assertTrue(guarded.poisoned(), guarded.description());
        assertEquals(CoreRelocator.POISON_IMM, Instruction.decode(insns, guarded.insnIndex() * 8).imm());
    }

    private long offsetOf(String type, String access) {
        CoreResult r = results().stream()
                .filter(x -> x.relo().kind() == CoreReloKind.FIELD_BYTE_OFFSET && x.relo().accessString().equals(access)
                        && object.btf().type(x.relo().typeId()).name().equals(type))
                .findFirst().orElseThrow();
        assertFalse(r.poisoned(), r.description());
        return r.targetValue();
    }

    /** The byte offset of task_struct's member {@code name}, looking inside anonymous members too. */
    private static long kernelOffset(String name) {
        int task = kernel.findByName("task_struct", BtfKind.STRUCT).orElseThrow();
        return memberBits(task, name).orElseThrow(() -> new AssertionError("kernel task_struct has no " + name)) / 8;
    }

    private static OptionalLong memberBits(int compositeId, String name) {
        BtfType t = kernel.type(kernel.skipModsAndTypedefs(compositeId));
        if (!(t instanceof BtfType.Composite c)) {
            return OptionalLong.empty();
        }
        for (BtfType.Member m : c.members()) {
            if (m.name().equals(name)) {
                return OptionalLong.of(m.bitOffset());
            }
            if (m.name().isEmpty()) {
                OptionalLong inner = memberBits(m.type(), name);
                if (inner.isPresent()) {
                    return OptionalLong.of(m.bitOffset() + inner.getAsLong());
                }
            }
        }
        return OptionalLong.empty();
    }
}
