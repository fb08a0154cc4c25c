package io.reactorbpf.core.attach;

import io.reactorbpf.core.internal.elf.ElfFile;
import io.reactorbpf.core.ElfFormatException;
import io.reactorbpf.core.internal.elf.ElfSymbol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where a uprobe goes: a function symbol in an executable or shared object plus a byte offset, or a plain
 * file offset when {@code symbol} is null. Immutable.
 *
 * @param binary the executable or shared object
 * @param symbol the function, or null when {@code offset} is a file offset
 * @param offset bytes after the function's start, or the file offset when there is no symbol
 * @since 0.1
 */
public record UprobeTarget(Path binary, String symbol, long offset) {

    /**
     * Checks the target's fields; the binary and symbol are only looked at by {@link #fileOffset()}.
     *
     * @param binary the executable or shared object
     * @param symbol the function, or null when {@code offset} is a file offset
     * @param offset bytes after the function's start, or the file offset, not negative
     * @throws AttachException when {@code binary} is null or {@code offset} negative
     */
    public UprobeTarget {
        if (binary == null) {
            throw new AttachException("a uprobe target needs a binary");
        }
        if (offset < 0) {
            throw new AttachException("uprobe offset " + offset + " in " + binary + " is negative");
        }
    }

    /**
     * Parses {@code PATH:FUNCTION}, {@code PATH:FUNCTION+OFFSET} or {@code PATH:OFFSET}, offsets in decimal or
     * 0x hex, as in {@code SEC("uprobe//usr/lib/libc.so.6:malloc+0x10")}. A PATH without a '/' is looked up as
     * libbpf looks it up ({@link #resolve}): {@code SEC("uprobe/libc.so.6:getpid")}. Throws an
     * {@link AttachException} saying what is wrong.
     *
     * @param spec the target as a uprobe section writes it after {@code uprobe/}
     * @return the target
     * @throws AttachTargetNotFoundException when a PATH without '/' is found nowhere
     * @throws AttachException when {@code spec} is malformed
     */
    public static UprobeTarget parse(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw malformed(spec, "expected PATH:FUNCTION[+OFFSET] or PATH:OFFSET");
        }
        Path binary = resolve(spec.substring(0, colon));
        String place = spec.substring(colon + 1);
        if (Character.isDigit(place.charAt(0))) {
            return new UprobeTarget(binary, null, number(spec, place));
        }
        int plus = place.indexOf('+');
        String symbol = plus < 0 ? place : place.substring(0, plus);
        if (symbol.isEmpty()) {
            throw malformed(spec, "the function name before '+' is empty");
        }
        return new UprobeTarget(binary, symbol, plus < 0 ? 0 : number(spec, place.substring(plus + 1)));
    }

    /**
     * The file {@code name} means: itself when it holds a '/'; else, for a shared library (a name with ".so"),
     * the first readable one in LD_LIBRARY_PATH's directories and then the system's library directories, and for
     * an executable, in PATH's. Throws an {@link AttachTargetNotFoundException} listing where it looked.
     *
     * @param name a path, or a file name such as {@code libc.so.6} or {@code bash}
     * @return the file's path
     * @throws AttachTargetNotFoundException when a name without '/' is in none of the directories
     */
    public static Path resolve(String name) {
        if (name.contains("/")) {
            return Path.of(name);
        }
        boolean library = name.contains(".so");
        List<String> dirs = new ArrayList<>();
        String env = System.getenv(library ? "LD_LIBRARY_PATH" : "PATH");
        if (env != null) {
            for (String d : env.split(":")) {
                if (!d.isEmpty()) {
                    dirs.add(d);
                }
            }
        }
        if (library) {
            String multiarch = switch (System.getProperty("os.arch")) {
                case "amd64", "x86_64" -> "x86_64-linux-gnu";
                case "aarch64" -> "aarch64-linux-gnu";
                default -> System.getProperty("os.arch") + "-linux-gnu";
            };
            dirs.addAll(List.of("/lib/" + multiarch, "/usr/lib/" + multiarch, "/lib64", "/usr/lib64", "/lib", "/usr/lib"));
        }
        for (String d : dirs) {
            Path candidate = Path.of(d, name);
            if (Files.isRegularFile(candidate) && Files.isReadable(candidate)) {
                return candidate;
            }
        }
        throw new AttachTargetNotFoundException("uprobe binary " + name + " was not found: a " + (library
                ? "library" : "program") + " named without a '/' is looked for in " + String.join(":", dirs)
                + "; give its full path");
    }

    private static long number(String spec, String text) {
        try {
            return text.startsWith("0x") || text.startsWith("0X") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw malformed(spec, "'" + text + "' is not a decimal or 0x-hex offset");
        }
    }

    private static AttachException malformed(String spec, String why) {
        return new AttachException("uprobe target '" + spec + "': " + why);
    }

    /**
     * The file offset the kernel needs: for a symbol, its address (from .symtab, else .dynsym) translated
     * through the loadable segment that contains it, plus {@link #offset()}. Reads the binary. Throws an
     * {@link AttachTargetNotFoundException} naming the binary and symbol when either is missing.
     *
     * @return the offset in the binary's file, what the uprobe PMU's config2 takes
     * @throws AttachTargetNotFoundException when the binary or the function is missing
     * @throws AttachException when the binary cannot be read, is not ELF64, defines the function twice, or maps
     *         it from no loadable segment
     */
    public long fileOffset() {
        if (symbol == null) {
            return offset;
        }
        return symbolFileOffset(readElf(binary, "uprobe")) + offset;
    }

    /**
     * Reads {@code binary} as ELF64 of any machine; the errors name it as a {@code what} ("uprobe") binary.
     *
     * @throws AttachTargetNotFoundException when it does not exist
     * @throws AttachException when it cannot be read or is not ELF64
     */
    static ElfFile readElf(Path binary, String what) {
        byte[] image;
        try {
            image = Files.readAllBytes(binary);
        } catch (NoSuchFileException e) {
            throw new AttachTargetNotFoundException(what + " binary " + binary + " does not exist");
        } catch (IOException e) {
            throw new AttachException("cannot read " + what + " binary " + binary + ": " + e.getMessage(), e);
        }
        try {
            return ElfFile.parseAnyMachine(image);
        } catch (ElfFormatException e) {
            throw new AttachException(what + " binary " + binary + " is not a readable ELF64 file: " + e.getMessage(), e);
        }
    }

    private long symbolFileOffset(ElfFile elf) {
        OptionalLong address = address(elf.symbols());
        if (address.isEmpty()) {
            address = address(elf.dynamicSymbols());
        }
        if (address.isEmpty()) {
            throw new AttachTargetNotFoundException("no function '" + symbol + "' in " + binary + " (looked in .symtab and"
                    + " .dynsym; list its functions with: nm " + binary + "; nm -D " + binary + ")");
        }
        long vaddr = address.getAsLong();
        OptionalLong fileOffset = elf.fileOffsetOf(vaddr);
        if (fileOffset.isEmpty()) {
            throw new AttachException("function '" + symbol + "' in " + binary + " is at address 0x" + Long.toHexString(vaddr)
                    + ", which no loadable segment maps from the file; is this an executable or shared object?");
        }
        return fileOffset.getAsLong();
    }

    /** The address of the defined function named {@link #symbol()} in {@code symbols}; several distinct ones are an error. */
    private OptionalLong address(List<ElfSymbol> symbols) {
        OptionalLong found = OptionalLong.empty();
        for (ElfSymbol s : symbols) {
            if (s.type() != ElfSymbol.Type.FUNC || !s.isDefined() || !s.name().equals(symbol)) {
                continue;
            }
            if (found.isPresent() && found.getAsLong() != s.value()) {
                throw new AttachException("function '" + symbol + "' in " + binary + " is defined twice, at 0x"
                        + Long.toHexString(found.getAsLong()) + " and 0x" + Long.toHexString(s.value())
                        + "; give the file offset instead (PATH:0xOFFSET)");
            }
            found = OptionalLong.of(s.value());
        }
        return found;
    }

    /** The target as {@link #parse} reads it. */
    @Override
    public String toString() {
        if (symbol == null) {
            return binary + ":0x" + Long.toHexString(offset);
        }
        return binary + ":" + symbol + (offset == 0 ? "" : "+0x" + Long.toHexString(offset));
    }
}
