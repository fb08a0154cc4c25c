package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.sys.FileDescriptor;
import com.kenai.jffi.MemoryIO;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A shared mapping of a file descriptor (a perf ring, a BPF array map). Owns the mapping: {@link #close()}
 * unmaps it exactly once. The owner must make sure no thread touches {@link #buffer()} after close; touching
 * unmapped memory kills the JVM.
 */
public final class MappedMemory implements AutoCloseable {

    /** PROT_READ. */
    public static final int PROT_READ = 1;
    /** PROT_WRITE. */
    public static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final long MAP_FAILED = -1;

    private final long address;
    private final long length;
    private final ByteBuffer buffer;
    private final String what;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MappedMemory(long address, long length, String what) {
        this.address = address;
        this.length = length;
        this.what = what;
        this.buffer = MemoryIO.getInstance().newDirectByteBuffer(address, (int) length).order(ByteOrder.nativeOrder());
    }

    /** mmap(NULL, length, prot, MAP_SHARED, fd, offset). */
    public static MappedMemory map(FileDescriptor fd, long length, int prot, long offset) {
        if (length <= 0 || length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("mapping length must be 1.." + Integer.MAX_VALUE + ", got " + length);
        }
        long addr = Native.libc().mmap(0, length, prot, MAP_SHARED, fd.fd(), offset);
        if (addr == MAP_FAILED) {
            throw new SyscallException("mmap", "", Native.errno(), length + " bytes of " + fd.what());
        }
        return new MappedMemory(addr, length, fd.what());
    }

    /** The mapping as a native-order buffer; valid until {@link #close()}. */
    public ByteBuffer buffer() {
        return buffer;
    }

    public long address() {
        return address;
    }

    public long length() {
        return length;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Unmaps; only the first call does. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && Native.libc().munmap(address, length) < 0) {
            throw new SyscallException("munmap", "", Native.errno(), what);
        }
    }
}
