package io.reactorbpf.perf.maps;

/** Reads and writes the 1-, 2-, 4- and 8-byte little-endian integers of map values (BPF's byte order on x86_64 and aarch64). */
final class LittleEndian {

    private LittleEndian() {
    }

    /** The {@code size}-byte integer at {@code offset}, zero-extended (an 8-byte one keeps its 64 bits). */
    static long unsigned(byte[] b, int offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[offset + i] & 0xffL);
        }
        return v;
    }

    /** Writes the low {@code size} bytes of {@code v} at {@code offset}. */
    static void put(byte[] b, int offset, int size, long v) {
        for (int i = 0; i < size; i++) {
            b[offset + i] = (byte) (v >>> (8 * i));
        }
    }
}
