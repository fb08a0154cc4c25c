package io.reactorbpf.core.btf;

import io.reactorbpf.core.internal.elf.ElfFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** The committed test object src/test/resources/bpf/btf_shapes.bpf.o and its BTF sections. */
public final class ShapesObject {

    public static final String PROGRAM = "tracepoint/syscalls/sys_enter_getpid";

    private ShapesObject() {
    }

    public static byte[] bytes() {
        try (InputStream in = ShapesObject.class.getResourceAsStream("/bpf/btf_shapes.bpf.o")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static byte[] section(String name) {
        ByteBuffer data = ElfFile.parse(bytes()).section(name).orElseThrow().data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return bytes;
    }

    public static Btf btf() {
        return Btf.parse(section(".BTF"));
    }
}
