package io.reactorbpf.core.symbol;

import io.reactorbpf.core.ElfFormatException;
import io.reactorbpf.core.internal.elf.ElfFile;
import io.reactorbpf.core.internal.elf.ElfSegment;
import io.reactorbpf.core.internal.elf.ElfSymbol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The functions of one executable or shared object (its {@code .symtab} and {@code .dynsym} FUNC symbols with a
 * size) and its loadable segments, for turning a file offset into the function there. Immutable.
 */
final class ElfFunctions {

    static final ElfFunctions NONE = new ElfFunctions(new long[0], new long[0], new String[0], List.of());

    private final long[] starts;
    private final long[] sizes;
    private final String[] names;
    private final List<ElfSegment> segments;

    private ElfFunctions(long[] starts, long[] sizes, String[] names, List<ElfSegment> segments) {
        this.starts = starts;
        this.sizes = sizes;
        this.names = names;
        this.segments = segments;
    }

    /** Those of the ELF file in {@code bytes}; {@link #NONE} for a file that is not one this reader knows. */
    static ElfFunctions of(byte[] bytes) {
        ElfFile elf;
        try {
            elf = ElfFile.parseAnyMachine(bytes);
        } catch (ElfFormatException e) {
            return NONE;
        }
        List<ElfSymbol> functions = new ArrayList<>();
        for (List<ElfSymbol> table : List.of(elf.symbols(), elf.dynamicSymbols())) {
            for (ElfSymbol s : table) {
                if (s.type() == ElfSymbol.Type.FUNC && s.isDefined() && s.size() > 0 && !s.name().isEmpty()) {
                    functions.add(s);
                }
            }
        }
        functions.sort(Comparator.comparing(ElfSymbol::value, Long::compareUnsigned));
        long[] starts = new long[functions.size()];
        long[] sizes = new long[functions.size()];
        String[] names = new String[functions.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = functions.get(i).value();
            sizes[i] = functions.get(i).size();
            names[i] = functions.get(i).name();
        }
        List<ElfSegment> loads = elf.segments().stream().filter(s -> s.type() == ElfSegment.PT_LOAD).toList();
        return new ElfFunctions(starts, sizes, names, loads);
    }

    /**
     * The frame at {@code fileOffset} in this file, mapped at {@code address}: the function whose bytes hold it,
     * found through the loadable segment that maps that offset, or a null function.
     */
    StackFrame resolve(long address, long fileOffset, String path) {
        for (ElfSegment s : segments) {
            if (Long.compareUnsigned(fileOffset - s.offset(), s.fileSize()) < 0) {
                long vaddr = fileOffset - s.offset() + s.vaddr();
                int i = Addresses.floor(starts, vaddr);
                // symbols may nest or overlap (aliases); the nearest start below that still covers the address wins
                for (int j = i; j >= 0 && j > i - 8; j--) {
                    if (Long.compareUnsigned(vaddr - starts[j], sizes[j]) < 0) {
                        return new StackFrame(address, names[j], vaddr - starts[j], path);
                    }
                }
                break;
            }
        }
        return new StackFrame(address, null, fileOffset, path);
    }
}
