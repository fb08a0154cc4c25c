package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.sys.Errno;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A bpf(2) load command whose rejection the kernel explains in a log written to a buffer the attr points to:
 * PROG_LOAD's verifier log, BTF_LOAD's BTF checker log. Makes attempts until one succeeds or fails with its
 * whole log: a failure without a log is tried again with one at level 1, and a log the kernel ran out of room
 * in (ENOSPC) is tried again four times larger, up to 1 GiB. Immutable and thread-safe; every attempt has its
 * own log memory.
 */
final class LoggedLoad {

    private static final int MIN_LOG = 64 * 1024;
    private static final int MAX_LOG = 1 << 30;

    private final BpfCommand command;
    private final int attrSize;
    private final Set<Errno> unexplained;

    /**
     * {@code command} with an attr of {@code attrSize} bytes; a failure without a log whose errno is in
     * {@code unexplained} ends the load at once, since no log would say more.
     */
    LoggedLoad(BpfCommand command, int attrSize, Set<Errno> unexplained) {
        this.command = command;
        this.attrSize = attrSize;
        this.unexplained = Set.copyOf(unexplained);
    }

    /** The attr of one attempt, given its log: buffer address, size and level, all 0 for none. */
    @FunctionalInterface
    interface Attempt {
        NativeBuffer attr(long logBuf, int logSize, int logLevel);
    }

    /** The exception for a failure with {@code errno}; {@code log} is null when the attempt had none. */
    @FunctionalInterface
    interface Rejection {
        SyscallException of(int errno, String log);
    }

    /**
     * Loads, the first attempt with a log at {@code logLevel} (0: none) of at least {@code logSize} bytes;
     * returns the new descriptor's number, which is the caller's to own, or throws what {@code rejection} makes.
     */
    long run(int logLevel, int logSize, Attempt attempt, Rejection rejection) {
        int level = logLevel;
        int size = level == 0 ? 0 : Math.max(MIN_LOG, logSize);
        while (true) {
            NativeBuffer log = size == 0 ? null : NativeBuffer.allocate(size);
            long r = Bpf.call(command, attempt.attr(log == null ? 0 : log.address(), size, level), attrSize);
            Reference.reachabilityFence(log);
            if (r >= 0) {
                return r;
            }
            int errno = (int) -r;
            if (log == null) {
                if (unexplained.contains(Errno.of(errno))) {
                    throw rejection.of(errno, null);
                }
                level = 1;
                size = Math.max(MIN_LOG, logSize);
                continue;
            }
            if (errno == Errno.ENOSPC.number() && size < MAX_LOG) {
                size = (int) Math.min((long) size * 4, MAX_LOG);
                continue;
            }
            throw rejection.of(errno, cString(log));
        }
    }

    private static String cString(NativeBuffer b) {
        ByteBuffer buf = b.buffer();
        int n = 0;
        while (n < buf.capacity() && buf.get(n) != 0) {
            n++;
        }
        return new String(b.toBytes(n), StandardCharsets.UTF_8);
    }
}
