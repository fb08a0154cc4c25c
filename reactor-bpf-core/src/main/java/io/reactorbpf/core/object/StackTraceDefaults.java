package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.MapType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Sizes a {@code BPF_MAP_TYPE_STACK_TRACE} map that its object leaves unsized, as the libbpf-tools that ship such
 * objects (offcputime, wakeuptime) size it before load: value_size {@code perf_event_max_stack * 8} (one u64 per
 * frame of the deepest stack the kernel records, 127 frames unless {@code /proc/sys/kernel/perf_event_max_stack}
 * says otherwise; 32 bytes per frame with BPF_F_STACK_BUILD_ID) and max_entries {@value #MAX_ENTRIES} stacks. Only a value_size or max_entries of 0 is replaced.
 * Stateless; runs while an object is opened.
 */
final class StackTraceDefaults {

    /** The stacks a stack map holds by default: libbpf-tools' default stack storage size. */
    static final int MAX_ENTRIES = 1024;
    /** The kernel's default perf_event_max_stack, used when the sysctl cannot be read. */
    static final int DEFAULT_MAX_STACK = 127;

    /** BPF_F_STACK_BUILD_ID: each frame is a struct bpf_stack_build_id instead of a u64 address. */
    static final int F_STACK_BUILD_ID = 1 << 5;

    private static final Path MAX_STACK = Path.of("/proc/sys/kernel/perf_event_max_stack");

    private StackTraceDefaults() {
    }

    /** Gives {@code m}, when it is a STACK_TRACE map, the default value size and max_entries where they are 0. */
    static void apply(MapSpec m) {
        if (m.type() != MapType.STACK_TRACE) {
            return;
        }
        if (m.valueSize() == 0) {
            m.valueSize(frameBytes(m.flags()) * maxStack());
        }
        if (m.maxEntries() == 0) {
            m.maxEntries(MAX_ENTRIES);
        }
    }

    /** The bytes of one frame of a stack map with {@code mapFlags}: 32 for build ids, else 8. */
    static int frameBytes(int mapFlags) {
        return (mapFlags & F_STACK_BUILD_ID) != 0 ? 32 : 8;
    }

    /** The deepest stack the kernel records, in frames: the perf_event_max_stack sysctl, 127 when unreadable. */
    static int maxStack() {
        try {
            List<String> lines = Files.readAllLines(MAX_STACK);
            int frames = lines.isEmpty() ? DEFAULT_MAX_STACK : Integer.parseInt(lines.get(0).strip());
            return frames > 0 ? frames : DEFAULT_MAX_STACK;
        } catch (IOException | NumberFormatException e) {
            return DEFAULT_MAX_STACK;  // not Linux, or no procfs: the kernel's default is what the sysctl holds then
        }
    }
}
