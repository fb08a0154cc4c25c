package io.reactorbpf.core.object;

import io.reactorbpf.core.internal.elf.ElfSection;

/**
 * The largest global data section (.data, .rodata, .bss and their variants) an object may have. The loader holds
 * each such section as one byte array from open to load, and a NOBITS .bss states its size without a byte of file to
 * back it, so the size is checked before anything is allocated. Stateless.
 */
final class GlobalDataLimit {

    /**
     * 64 MiB. Real objects keep a few KiB to a few MiB of globals; buffers larger than this belong in an array
     * map, which holds max_entries values and is bounded by the map memory limit instead.
     */
    static final long MAX_BYTES = 64L << 20;

    private GlobalDataLimit() {
    }

    /** Refuses {@code section} of {@code object} when it is larger than {@link #MAX_BYTES}. */
    static void check(String object, ElfSection section) {
        if (Long.compareUnsigned(section.size(), MAX_BYTES) > 0) {
            throw new ObjectFormatException("object '" + object + "' section '" + section.name() + "' claims "
                    + Long.toUnsignedString(section.size()) + " bytes of global data; a global data section may hold at most "
                    + (MAX_BYTES >> 20) + " MiB (" + MAX_BYTES + " bytes): move large buffers into a BPF_MAP_TYPE_ARRAY map");
        }
    }
}
