package io.reactorbpf.core.btf;

import io.reactorbpf.core.internal.btf.BtfExt;
import io.reactorbpf.core.internal.elf.ElfFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;

/** A committed CO-RE test object under src/test/resources/bpf/core/: its BTF, relocations and code. */
public final class CoreObject {

    /** The program section of core_local.bpf.o. */
    public static final String LOCAL_PROGRAM = "raw_tp/sys_enter";
    /** The program section of core_kernel.bpf.o. */
    public static final String KERNEL_PROGRAM = "raw_tp/sched_process_exec";

    private final ElfFile elf;
    private final Btf btf;

    private CoreObject(String name) {
        try (InputStream in = CoreObject.class.getResourceAsStream("/bpf/core/" + name + ".bpf.o")) {
            if (in == null) {
                throw new AssertionError("missing test object " + name + ".bpf.o: run bash .ci/bpf-objects");
            }
            this.elf = ElfFile.parse(in.readAllBytes());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        this.btf = Btf.parse(section(".BTF"));
    }

    public static CoreObject local() {
        return new CoreObject("core_local");
    }

    public static CoreObject target() {
        return new CoreObject("core_target");
    }

    public static CoreObject kernel() {
        return new CoreObject("core_kernel");
    }

    public Btf btf() {
        return btf;
    }

    /** A fresh copy of a section's bytes, safe to relocate in place. */
    public byte[] section(String name) {
        ByteBuffer data = elf.section(name).orElseThrow(() -> new AssertionError("no section " + name)).data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return bytes;
    }

    public List<BtfExt.CoreRelo> relos(String program) {
        return BtfExt.parse(section(".BTF.ext"), btf).coreRelos().get(program);
    }

    /** The id of the struct or enum named {@code name}. */
    public int typeId(String name, BtfKind kind) {
        return btf.findByName(name, kind).orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }
}
