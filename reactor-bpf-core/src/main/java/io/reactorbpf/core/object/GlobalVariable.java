package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfType;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A global variable of a BPF object (in .data, .rodata, .bss or a variant), typed by the object's BTF. Before
 * loading ({@link ObjectSpec#variable}) it reads and writes the initial contents of its section; after loading
 * ({@link BpfObject#variable}) it reads and writes the section's map, except that a frozen .rodata map cannot be
 * written. Setters check the value against the variable's type and size.
 *
 * <p>Not thread-safe before loading; after loading every read and write is one map operation, each atomic for
 * the whole section, but a write is a read-modify-write that can race with the BPF program.
 *
 * @since 0.1
 */
public final class GlobalVariable {

    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger S64_MIN = BigInteger.valueOf(Long.MIN_VALUE);

    /** Reads and writes a whole section's bytes. */
    interface Storage {
        byte[] read();

        void write(byte[] section);

        /** Whether writes are refused: a loaded .rodata map, frozen at load. */
        default boolean frozen() {
            return false;
        }
    }

    private final String name;
    private final String section;
    private final int offset;
    private final int size;
    private final Btf btf;
    private final int typeId;
    private final Storage storage;

    GlobalVariable(String name, String section, int offset, int size, Btf btf, int typeId, Storage storage) {
        this.name = name;
        this.section = section;
        this.offset = offset;
        this.size = size;
        this.btf = btf;
        this.typeId = typeId;
        this.storage = storage;
    }

    GlobalVariable withStorage(Storage other) {
        return new GlobalVariable(name, section, offset, size, btf, typeId, other);
    }

    /**
     * The variable's C name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The section holding it, such as ".rodata".
     *
     * @return the ELF section's name
     */
    public String section() {
        return section;
    }

    /**
     * Byte offset inside its section.
     *
     * @return the offset, which is also its offset in the section map's value
     */
    public int offset() {
        return offset;
    }

    /**
     * Bytes the variable takes.
     *
     * @return the size
     */
    public int size() {
        return size;
    }

    /**
     * Its C type, e.g. "const volatile u32"; "unknown" when the object has no BTF.
     *
     * @return the type as C spells it
     */
    public String typeName() {
        return btf == null || typeId == 0 ? "unknown" : btf.describe(typeId);
    }

    /**
     * Its BTF type with modifiers and typedefs skipped (for {@code const volatile enum mode} the enum itself);
     * empty when the object has no BTF.
     *
     * @return the resolved type, or empty
     */
    public Optional<BtfType> type() {
        return btf == null || typeId == 0 ? Optional.empty() : Optional.of(btf.type(btf.skipModsAndTypedefs(typeId)));
    }

    /**
     * The current bytes: the initial contents before load, the map's value after.
     *
     * @return a new array of {@link #size()} bytes, owned by the caller
     * @throws io.reactorbpf.core.sys.SyscallException when the section's map cannot be read, such as after the
     *         object was closed
     */
    public byte[] bytes() {
        byte[] out = new byte[size];
        System.arraycopy(storage.read(), offset, out, 0, size);
        return out;
    }

    /**
     * Replaces the bytes; {@code value} must be exactly {@link #size()} bytes.
     *
     * @param value the new bytes, in the programs' byte order
     * @return this variable
     * @throws VariableException when the size is wrong, or the variable is in a .rodata the loader froze
     * @throws io.reactorbpf.core.sys.SyscallException when the section's map cannot be written
     */
    public GlobalVariable set(byte[] value) {
        if (value.length != size) {
            throw mismatch(value.length + " bytes");
        }
        if (storage.frozen()) {
            throw new VariableException("variable '" + name + "' is in " + section + ", which the loader froze at load"
                    + " (the kernel refuses every write to it, from programs and from user space): set it on the"
                    + " ObjectSpec before load(), or declare it without const to keep it writable");
        }
        byte[] all = storage.read();
        System.arraycopy(value, 0, all, offset, size);
        storage.write(all);
        return this;
    }

    /**
     * Sets an integer, enum or bool variable of any size to {@code value}, which must fit its size and signedness.
     *
     * @param value the number; for an enum, an enumerator's value
     * @return this variable
     * @throws VariableException when the variable is not integer-like or cannot hold {@code value}, or is frozen
     */
    public GlobalVariable set(long value) {
        boolean signed = integerSignedness();
        if (size < 8) {
            long bits = size * 8L;
            long min = signed ? -(1L << (bits - 1)) : 0;
            long max = signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
            if (value < min || value > max) {
                throw new VariableException("variable '" + name + "' (" + typeName() + ", " + size + " bytes) cannot hold "
                        + value + "; it holds " + min + " to " + max);
            }
        }
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value);
        byte[] out = new byte[size];
        System.arraycopy(b.array(), ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : 8 - size, out, 0, size);
        return set(out);
    }

    /**
     * Sets a bool (or integer) variable to 1 or 0.
     *
     * @param value the truth value
     * @return this variable
     * @throws VariableException when the variable is not integer-like, or is frozen
     */
    public GlobalVariable set(boolean value) {
        return set(value ? 1L : 0L);
    }

    /**
     * Sets a char array to {@code value} in UTF-8 with a terminating NUL, zero-filling the rest.
     *
     * @param value the text
     * @return this variable
     * @throws VariableException when the variable is not a char array, the text and NUL do not fit, or it is frozen
     */
    public GlobalVariable set(String value) {
        if (btf != null && typeId != 0 && !isCharArray()) {
            throw mismatch("a string");
        }
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        if (text.length + 1 > size) {
            throw new VariableException("variable '" + name + "' (" + typeName() + ") holds at most " + (size - 1)
                    + " bytes of text plus NUL; \"" + value + "\" has " + text.length);
        }
        byte[] out = new byte[size];
        System.arraycopy(text, 0, out, 0, text.length);
        return set(out);
    }

    /**
     * Sets the variable from {@code text} read by its BTF type, as a tool's command line or a configuration file
     * gives it: a char array takes the text as a string, a bool {@code true}/{@code false} (or 1/0), an integer a
     * decimal or {@code 0x}-hexadecimal number within the type's range, an enum one of its enumerators' names or
     * such a number.
     *
     * @param text the value as text
     * @return this variable
     * @throws VariableException naming the variable, its type and the forms it takes, when the text is none of
     *                           them or does not fit
     */
    public GlobalVariable assign(String text) {
        String type = typeName();
        if (type.contains("[")) {
            return set(text);
        }
        if (type.endsWith("bool") || type.endsWith("_Bool")) {
            return set(bool(text));
        }
        if (type().orElse(null) instanceof BtfType.Enumeration e && !numeric(text)) {
            return set(enumerator(e, text));
        }
        return set(integer(text));
    }

    private static boolean numeric(String text) {
        return !text.isEmpty() && (Character.isDigit(text.charAt(0)) || text.charAt(0) == '-');
    }

    private long enumerator(BtfType.Enumeration type, String text) {
        for (BtfType.Enumerator member : type.values()) {
            if (member.name().equals(text)) {
                return member.value();
            }
        }
        throw new VariableException("variable '" + name + "' is " + typeName() + "; give one of "
                + type.values().stream().map(BtfType.Enumerator::name).collect(Collectors.joining(", "))
                + " or a number, not '" + text + "'");
    }

    private boolean bool(String text) {
        return switch (text) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new VariableException("variable '" + name + "' is " + typeName()
                    + "; give true or false, not '" + text + "'");
        };
    }

    /** The number's 64 bits; {@link #set(long)} checks that they fit the variable's size and signedness. */
    private long integer(String text) {
        BigInteger n;
        try {
            boolean negative = text.startsWith("-");
            String digits = negative ? text.substring(1) : text;
            boolean hex = digits.startsWith("0x") || digits.startsWith("0X");
            n = new BigInteger(hex ? digits.substring(2) : digits, hex ? 16 : 10);
            n = negative ? n.negate() : n;
        } catch (NumberFormatException e) {
            throw new VariableException("variable '" + name + "' is " + typeName()
                    + "; give a decimal or 0x-hexadecimal integer, not '" + text + "'");
        }
        if (n.compareTo(S64_MIN) < 0 || n.compareTo(U64_MAX) > 0) {
            throw new VariableException("variable '" + name + "' (" + typeName() + ") cannot hold " + text
                    + ": it is wider than 64 bits");
        }
        return n.longValue();
    }

    /**
     * The value of an integer, enum or bool variable, sign-extended when its type is signed.
     *
     * @return the number
     * @throws VariableException when the variable is not integer-like
     */
    public long getLong() {
        boolean signed = integerSignedness();
        byte[] b = bytes();
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? i : size - 1 - i] & 0xff);
        }
        if (signed && size < 8) {
            int shift = 64 - size * 8;
            v = (v << shift) >> shift;
        }
        return v;
    }

    /**
     * The text of a char array variable, up to its first NUL.
     *
     * @return the text, decoded as UTF-8
     */
    public String getString() {
        byte[] b = bytes();
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** Checks that this is an integer-like variable and says whether it is signed. */
    private boolean integerSignedness() {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw mismatch("an integer");
        }
        if (btf == null || typeId == 0) {
            return false;
        }
        BtfType t = btf.type(btf.skipModsAndTypedefs(typeId));
        if (t instanceof BtfType.Int i) {
            return i.isSigned();
        }
        if (t instanceof BtfType.Enumeration e) {
            return e.signed();
        }
        throw mismatch("an integer");
    }

    private boolean isCharArray() {
        BtfType t = btf.type(btf.skipModsAndTypedefs(typeId));
        if (!(t instanceof BtfType.Array a)) {
            return false;
        }
        return btf.type(btf.skipModsAndTypedefs(a.type())) instanceof BtfType.Int i && i.size() == 1;
    }

    private VariableException mismatch(String given) {
        return new VariableException("variable '" + name + "' in " + section + " is " + typeName() + " (" + size
                + " bytes); it cannot be set to or read as " + given);
    }

    @Override
    public String toString() {
        return "variable '" + name + "' " + typeName() + " at " + section + "+" + offset;
    }
}
