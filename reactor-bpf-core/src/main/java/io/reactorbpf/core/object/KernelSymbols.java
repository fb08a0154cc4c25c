package io.reactorbpf.core.object;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kernel symbol addresses from {@code /proc/kallsyms}, for the typeless {@code __ksym} externs, read as libbpf reads
 * them: "ADDRESS TYPE NAME [MODULE]" lines, a data symbol's ".llvm.NNN" suffix (from LTO kernels) ignored. Stateless.
 */
final class KernelSymbols {

    static final Path KALLSYMS = Path.of("/proc/kallsyms");

    private KernelSymbols() {
    }

    /** Every address {@code file} lists for each of {@code names}; a name it lacks is absent from the result. */
    static Map<String, List<Long>> addresses(Path file, Set<String> names) {
        Map<String, List<Long>> found = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] fields = line.split("\\s+");
                if (fields.length < 3) {
                    continue;
                }
                String name = fields[2];
                int llvm = name.indexOf(".llvm.");
                if (llvm > 0 && (fields[1].equals("d") || fields[1].equals("D"))) {
                    name = name.substring(0, llvm);
                }
                if (names.contains(name)) {
                    try {
                        found.computeIfAbsent(name, n -> new ArrayList<>()).add(Long.parseUnsignedLong(fields[0], 16));
                    } catch (NumberFormatException e) {
                        throw new ObjectFormatException(file + " has '" + fields[0] + "' for the address of " + name
                                + ", which is not hexadecimal");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " for the typeless __ksym externs "
                    + names + ": " + e.getMessage(), e);
        }
        return found;
    }
}
