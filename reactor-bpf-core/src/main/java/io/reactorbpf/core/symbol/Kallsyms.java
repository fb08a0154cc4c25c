package io.reactorbpf.core.symbol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The kernel's function symbols as {@code /proc/kallsyms} lists them (text symbols: types {@code t T w W}), sorted
 * by address, for turning kernel stack addresses into {@link StackFrame}s. An immutable snapshot, read once; safe
 * to share between threads. Reading needs addresses, which the kernel shows as zeros unless the reader is
 * privileged (CAP_SYSLOG) or {@code kernel.kptr_restrict} is 0.
 *
 * @since 0.1
 */
public final class Kallsyms {

    private static final Path PROC_KALLSYMS = Path.of("/proc/kallsyms");

    private final long[] addresses;
    private final String[] names;
    private final String[] modules;

    private Kallsyms(long[] addresses, String[] names, String[] modules) {
        this.addresses = addresses;
        this.names = names;
        this.modules = modules;
    }

    /**
     * The running kernel's, from {@code /proc/kallsyms}.
     *
     * @return the kernel's function symbols
     * @throws IllegalStateException when every address reads as zero, naming what shows them
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Kallsyms read() {
        return read(PROC_KALLSYMS);
    }

    /**
     * Those listed in {@code file}, in {@code /proc/kallsyms}'s format ({@code ADDRESS TYPE NAME [MODULE]}).
     *
     * @param file a kallsyms listing
     * @return its function symbols
     * @throws IllegalStateException when every address reads as zero, naming what shows them
     * @throws IllegalArgumentException naming a line whose address is not hexadecimal
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Kallsyms read(Path file) {
        record Entry(long address, String name, String module) {
        }
        List<Entry> entries = new ArrayList<>();
        boolean anyAddress = false;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split("\\s+");
                if (f.length < 3 || f[1].length() != 1 || "tTwW".indexOf(f[1].charAt(0)) < 0) {
                    continue;
                }
                long address;
                try {
                    address = Long.parseUnsignedLong(f[0], 16);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + " has '" + f[0] + "' for the address of " + f[2]
                            + ", which is not hexadecimal");
                }
                anyAddress |= address != 0;
                String module = f.length > 3 ? f[3] : "[kernel]";
                entries.add(new Entry(address, f[2], module));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel's symbols " + file + ": " + e.getMessage(), e);
        }
        if (!entries.isEmpty() && !anyAddress) {
            throw new IllegalStateException(file + " shows every address as 0: run as root (CAP_SYSLOG) or set"
                    + " sysctl kernel.kptr_restrict=0 to resolve kernel stack traces");
        }
        entries.sort(Comparator.comparing(Entry::address, Long::compareUnsigned));
        long[] addresses = new long[entries.size()];
        String[] names = new String[entries.size()];
        String[] modules = new String[entries.size()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = entries.get(i).address();
            names[i] = entries.get(i).name();
            modules[i] = entries.get(i).module();
        }
        return new Kallsyms(addresses, names, modules);
    }

    /**
     * How many function symbols were read.
     *
     * @return the count
     */
    public int size() {
        return addresses.length;
    }

    /**
     * The function {@code address} lies in: the symbol with the highest address at or below it, as the kernel's own
     * stack dumps resolve addresses (kallsyms lists no sizes).
     *
     * @param address a kernel instruction address
     * @return the frame, with a null function for an address below every symbol
     */
    public StackFrame resolve(long address) {
        int i = Addresses.floor(addresses, address);
        if (i < 0) {
            return new StackFrame(address, null, address, "[kernel]");
        }
        return new StackFrame(address, names[i], address - addresses[i], modules[i]);
    }

    @Override
    public String toString() {
        return "Kallsyms[" + addresses.length + " functions]";
    }
}
