package io.reactorbpf.core.btf;

import io.reactorbpf.core.testing.KernelTests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The running kernel's BTF; reading it needs no privilege, only a kernel built with BTF. */
class KernelBtfTest {

    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    @BeforeAll
    static void kernelPublishesBtf() {
        KernelTests.require(Files.isReadable(VMLINUX), "kernel BTF at /sys/kernel/btf/vmlinux");
    }

    @Test
    void vmlinuxIsReadOnceAndCached() {
        assertSame(Btf.vmlinux(), Btf.vmlinux());
    }

    @Test
    void vmlinuxKnowsTaskStructAndItsMembers() {
        Btf kernel = Btf.vmlinux();
        assertTrue(kernel.typeCount() > 10_000, "only " + kernel.typeCount() + " types");
        int task = kernel.findByName("task_struct", BtfKind.STRUCT).orElseThrow();
        BtfType.Struct struct = (BtfType.Struct) kernel.type(task);
        assertEquals(struct.size(), kernel.resolveSize(task));
        assertTrue(struct.members().stream().anyMatch(m -> m.name().equals("pid")));
        assertEquals("struct task_struct", kernel.describe(task));
    }

    @Test
    void vmlinuxWritesBackToTheSameBytes() throws IOException {
        byte[] original = Files.readAllBytes(VMLINUX);
        Btf kernel = Btf.parse(original);
        byte[] written = kernel.toBytes();
        assertEquals(kernel, Btf.parse(written));
        assertArrayEquals(original, written);
    }

    @Test
    void everyKernelTypeDescribesItselfAndSizedOnesResolve() {
        Btf kernel = Btf.vmlinux();
        for (int id = 1; id <= kernel.typeCount(); id++) {
            BtfType t = kernel.type(id);
            assertTrue(!kernel.describe(id).isEmpty());
            if (t instanceof BtfType.Composite c) {
                assertEquals(Integer.toUnsignedLong(c.size()), kernel.resolveSize(id));
            }
        }
    }
}
