package io.reactorbpf.core.internal.elf;

import io.reactorbpf.core.ElfFormatException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One USDT probe as SystemTap's {@code sys/sdt.h} records it in a binary's {@code .note.stapsdt} section: an ELF
 * note named {@code stapsdt} of type 3 whose descriptor holds the probe's address, the link-time address of the
 * {@code .stapsdt.base} section, the semaphore's address (0 for none), then the provider, the probe's name and
 * its argument specification, each NUL-terminated. Immutable.
 *
 * @param provider  the probe's provider, such as {@code hotspot}
 * @param name      the probe's name, such as {@code gc__begin}
 * @param address   the probe's virtual address, adjusted by where {@code .stapsdt.base} ended up (prelinking)
 * @param semaphore the virtual address of the probe's semaphore, 0 when it has none
 * @param arguments the argument specification, such as {@code -4@%edi 8@-16(%rbp)}, empty for none
 */
public record StapsdtNote(String provider, String name, long address, long semaphore, String arguments) {

    public static final String SECTION = ".note.stapsdt";
    private static final String BASE_SECTION = ".stapsdt.base";
    private static final int NT_STAPSDT = 3;

    /**
     * Every probe {@code elf} declares, in note order; empty when it has no {@code .note.stapsdt} section.
     *
     * @throws ElfFormatException naming the note when a note runs past its section or its strings are unterminated
     */
    public static List<StapsdtNote> read(ElfFile elf) {
        Optional<ElfSection> notes = elf.section(SECTION);
        if (notes.isEmpty()) {
            return List.of();
        }
        // libbpf's adjustment: a probe moves with .stapsdt.base when the file was prelinked after linking
        long base = elf.section(BASE_SECTION).map(ElfSection::address).orElse(0L);
        ByteBuffer in = notes.get().data();
        List<StapsdtNote> probes = new ArrayList<>();
        while (in.remaining() >= 12) {
            int at = in.position();
            int nameSize = in.getInt();
            int descSize = in.getInt();
            int type = in.getInt();
            if (nameSize < 0 || descSize < 0 || align4(nameSize) + (long) align4(descSize) > in.remaining()) {
                throw new ElfFormatException(SECTION + ": the note at offset " + at + " claims " + nameSize
                        + " name and " + descSize + " descriptor bytes, past the section's end");
            }
            byte[] name = new byte[nameSize];
            in.get(name);
            in.position(in.position() + align4(nameSize) - nameSize);
            ByteBuffer desc = in.slice(in.position(), descSize).order(in.order());
            in.position(in.position() + align4(descSize));
            if (type != NT_STAPSDT || !new String(name, StandardCharsets.US_ASCII).equals("stapsdt\0")) {
                continue;
            }
            if (descSize < 24 + 3) {
                throw new ElfFormatException(SECTION + ": the stapsdt note at offset " + at + " has " + descSize
                        + " descriptor bytes, too few for three addresses and three strings");
            }
            long pc = desc.getLong(0);
            long noteBase = desc.getLong(8);
            long semaphore = desc.getLong(16);
            String[] strings = strings(desc, 24, 3, at);
            long address = base != 0 && noteBase != 0 ? pc + base - noteBase : pc;
            probes.add(new StapsdtNote(strings[0], strings[1], address, semaphore, strings[2]));
        }
        return probes;
    }

    private static String[] strings(ByteBuffer desc, int from, int count, int noteAt) {
        String[] out = new String[count];
        int at = from;
        for (int i = 0; i < count; i++) {
            int end = at;
            while (end < desc.limit() && desc.get(end) != 0) {
                end++;
            }
            if (end >= desc.limit()) {
                throw new ElfFormatException(SECTION + ": the stapsdt note at offset " + noteAt
                        + " ends inside its provider, name or arguments string");
            }
            byte[] bytes = new byte[end - at];
            desc.get(at, bytes);
            out[i] = new String(bytes, StandardCharsets.US_ASCII);
            at = end + 1;
        }
        return out;
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }
}
