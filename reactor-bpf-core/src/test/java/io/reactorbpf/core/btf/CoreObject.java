package io.reactorbpf.core.btf;

import io.reactorbpf.core.elf.ElfFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;

/** A committed CO-RE test object under src/test/resources/bpf/core/: its BTF, relocations and code. */
final class CoreObject {

    /** The program section of core_local.bpf.o. */
    static final String LOCAL_PROGRAM = "raw_tp/sys_enter";
    /** The program section of core_kernel.bpf.o. */
    static final String KERNEL_PROGRAM = "raw_tp/sched_process_exec";

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

    static CoreObject local() {
        return new CoreObject("core_local");
    }

    static CoreObject target() {
        return new CoreObject("core_target");
    }

    static CoreObject kernel() {
        return new CoreObject("core_kernel");
    }

    Btf btf() {
        return btf;
    }

    /** A fresh copy of a section's bytes, safe to relocate in place. */
    byte[] section(String name) {
        ByteBuffer data = elf.section(name).orElseThrow(() -> new AssertionError("no section " + name)).data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return bytes;
    }

    List<BtfExt.CoreRelo> relos(String program) {
        return BtfExt.parse(section(".BTF.ext"), btf).coreRelos().get(program);
    }

    /** The id of the struct or enum named {@code name}. */
    int typeId(String name, BtfKind kind) {
        return btf.findByName(name, kind).orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }
}
