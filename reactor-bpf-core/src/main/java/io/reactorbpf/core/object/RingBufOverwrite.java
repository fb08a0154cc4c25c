package io.reactorbpf.core.object;

import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.sys.MapCreateAttr;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.sys.SyscallException;

/**
 * Ring buffers in overwrite mode ({@code BPF_F_RB_OVERWRITE}, Linux 6.19): when full, the producer reclaims the
 * oldest records instead of failing, a flight recorder of the newest events. Whether the running kernel has the
 * mode is found once, by creating a one-page ring buffer with the flag. Thread-safe.
 */
final class RingBufOverwrite {

    /** {@code BPF_F_RB_OVERWRITE}. */
    static final int FLAG = 1 << 19;

    private static volatile Boolean supported;

    private RingBufOverwrite() {
    }

    /** Whether the running kernel creates ring buffers in overwrite mode. */
    static boolean supported() {
        Boolean s = supported;
        if (s == null) {
            try (FileDescriptor fd = Bpf.mapCreate(MapCreateAttr.of(MapType.RINGBUF, "rb_overwrite", 0, 0,
                    Kernel.pageSize()).withFlags(FLAG))) {
                s = true;
            } catch (SyscallException e) {
                s = false;
            }
            supported = s;
        }
        return s;
    }

    /** The error for {@code map}, whose creation with the flag failed with {@code cause} on a kernel without it. */
    static UnsupportedMapException refusal(MapSpec map, SyscallException cause) {
        return new UnsupportedMapException("map '" + map.name() + "' asks for a ring buffer in overwrite mode"
                + " (BPF_F_RB_OVERWRITE), which this kernel (" + Kernel.release() + ") does not have: Linux 6.19 added"
                + " it; remove the flag from the map's definition (or clear it with MapSpec.flags before load) to get a"
                + " ring buffer whose reserves fail when it is full, with their losses counted", cause);
    }
}
