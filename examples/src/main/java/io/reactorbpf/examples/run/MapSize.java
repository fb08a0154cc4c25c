package io.reactorbpf.examples.run;

/**
 * One {@code --max-entries MAP=N} or {@code --value-size MAP=N}: a size for map MAP, a decimal or 0x-hex number
 * from 1 to 4294967295 (the kernel's u32), held as the int the kernel reads as unsigned. Immutable.
 */
record MapSize(String map, int size) {

    private static final long U32_MAX = 0xffff_ffffL;

    /** Reads {@code MAP=N}; picocli reports the exception's message as a usage error. */
    static MapSize parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException("expected MAP=N, got '" + text + "'");
        }
        String number = text.substring(eq + 1).strip();
        long n;
        try {
            n = number.startsWith("0x") || number.startsWith("0X") ? Long.parseLong(number.substring(2), 16)
                    : Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + number + "' is not a decimal or 0x-hex number");
        }
        if (n < 1 || n > U32_MAX) {
            throw new IllegalArgumentException("a map size is from 1 to " + U32_MAX + ", not " + number);
        }
        return new MapSize(text.substring(0, eq), (int) n);
    }
}
