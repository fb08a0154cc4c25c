package io.reactorbpf.core.testing;

import io.reactorbpf.core.asm.Assembler;
import io.reactorbpf.core.asm.AluOp;
import io.reactorbpf.core.asm.BpfFunc;
import io.reactorbpf.core.asm.Size;
import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.MapCreateAttr;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.internal.sys.NativeBuffer;

import static io.reactorbpf.core.asm.Register.R0;
import static io.reactorbpf.core.asm.Register.R1;
import static io.reactorbpf.core.asm.Register.R10;
import static io.reactorbpf.core.asm.Register.R2;

/**
 * A one-entry ARRAY map holding the u64 counter a test program adds to: the program finds the counter with
 * {@link #lookup}, the test reads it with {@link #read()}. Owns its descriptor; not thread-safe.
 */
public final class CounterMap implements AutoCloseable {

    private final FileDescriptor fd;

    private CounterMap(FileDescriptor fd) {
        this.fd = fd;
    }

    /** Creates the map, named {@code name}. */
    public static CounterMap create(String name) {
        return new CounterMap(Bpf.mapCreate(MapCreateAttr.of(MapType.ARRAY, name, 4, 8, 1)));
    }

    /**
     * Appends the instructions that look the counter up: key 0 stored at fp-4, R0 = the counter's address,
     * a jump to {@code missLabel} when the lookup gives NULL. Clobbers R1 to R5.
     */
    public Assembler lookup(Assembler asm, String missLabel) {
        return asm.st(Size.W, R10, -4, 0)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, -4)
                .ldMapFd(R1, fd.fd())
                .call(BpfFunc.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, missLabel);
    }

    /** The counter's value now. */
    public long read() {
        NativeBuffer key = NativeBuffer.allocate(4);
        NativeBuffer value = NativeBuffer.allocate(8);
        Bpf.mapLookupElem(fd, key, value, 0);
        return value.buffer().getLong(0);
    }

    @Override
    public void close() {
        fd.close();
    }
}
