package io.reactorbpf.core.symbol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One process's executable mappings as {@code /proc/PID/maps} listed them when this was made, with the function
 * symbols of each file mapped ({@code .symtab} and {@code .dynsym}), for turning the user addresses of its stack
 * traces into {@link StackFrame}s. Files are read through {@code /proc/PID/root}, so a process in another mount
 * namespace (a container) resolves against its own files. Code without a file behind it (JIT-compiled code,
 * {@code [vdso]}) resolves to a frame without a function. An immutable snapshot: a library the process maps later
 * is not seen; make another. Safe to share between threads.
 *
 * @since 0.1
 */
public final class ProcessSymbols {

    private final long pid;
    private final long[] starts;
    private final Mapping[] mappings;

    private record Mapping(long start, long end, long offset, String path, ElfFunctions functions) {
    }

    private ProcessSymbols(long pid, List<Mapping> mappings) {
        this.pid = pid;
        this.mappings = mappings.toArray(Mapping[]::new);
        this.starts = mappings.stream().mapToLong(Mapping::start).toArray();
    }

    /**
     * Reads process {@code pid}'s mappings and the symbols of the files they map.
     *
     * @param pid the process (thread group) id, as {@code bpf_get_current_pid_tgid() >> 32} gives it
     * @return the process's symbols
     * @throws IllegalArgumentException when no process {@code pid} runs (it may have exited since its stack
     *     was taken)
     * @throws UncheckedIOException when its maps cannot be read
     */
    public static ProcessSymbols of(long pid) {
        Path maps = Path.of("/proc", Long.toString(pid), "maps");
        List<String> lines;
        try {
            lines = Files.readAllLines(maps);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no process " + pid + " (" + maps + " is not there); a process that"
                    + " exited before its stacks were read cannot have its user frames resolved");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + maps + ": " + e.getMessage(), e);
        }
        Path root = Path.of("/proc", Long.toString(pid), "root");
        Map<String, ElfFunctions> files = new HashMap<>();
        List<Mapping> mappings = new ArrayList<>();
        for (String line : lines) {
            // START-END PERMS OFFSET DEV INODE [PATH]
            String[] f = line.trim().split("\\s+", 6);
            if (f.length < 5 || f[1].length() < 3 || f[1].charAt(2) != 'x') {
                continue;
            }
            int dash = f[0].indexOf('-');
            long start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
            long end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
            long offset = Long.parseUnsignedLong(f[2], 16);
            String path = f.length == 6 ? f[5] : "";
            ElfFunctions functions = ElfFunctions.NONE;
            if (path.startsWith("/") && !path.endsWith(" (deleted)")) {
                functions = files.computeIfAbsent(path, p -> read(root.resolve(p.substring(1))));
            }
            mappings.add(new Mapping(start, end, offset, path.isEmpty() ? "[anon]" : path, functions));
        }
        mappings.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
        return new ProcessSymbols(pid, mappings);
    }

    private static ElfFunctions read(Path file) {
        try {
            return ElfFunctions.of(Files.readAllBytes(file));
        } catch (IOException e) {
            return ElfFunctions.NONE;
        }
    }

    /**
     * The process these symbols are of.
     *
     * @return its pid
     */
    public long pid() {
        return pid;
    }

    /**
     * The function {@code address} lies in, in the file mapped there.
     *
     * @param address a user instruction address of this process
     * @return the frame: with the function when a symbol covers the address, else the file and its offset, else
     *     {@code [unknown]} for an address in no executable mapping
     */
    public StackFrame resolve(long address) {
        int i = Addresses.floor(starts, address);
        if (i < 0 || Long.compareUnsigned(address, mappings[i].end()) >= 0) {
            return new StackFrame(address, null, address, "[unknown]");
        }
        Mapping m = mappings[i];
        return m.functions().resolve(address, address - m.start() + m.offset(), m.path());
    }

    @Override
    public String toString() {
        return "ProcessSymbols[pid=" + pid + ", " + mappings.length + " executable mappings]";
    }
}
