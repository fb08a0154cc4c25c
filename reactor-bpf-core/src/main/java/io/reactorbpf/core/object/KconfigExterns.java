package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfKind;
import io.reactorbpf.core.btf.BtfLinkage;
import io.reactorbpf.core.btf.BtfType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The {@code __kconfig} externs of an object ({@code extern unsigned LINUX_KERNEL_VERSION __kconfig;},
 * {@code extern bool CONFIG_BPF_SYSCALL __kconfig __weak;}), which clang lists in a DATASEC named {@code .kconfig}
 * with no section behind it. As libbpf does, the loader lays them out in a read-only, frozen one-entry array (the
 * object's {@code .kconfig} map), points each reference at its extern's offset there when the object is opened,
 * and fills the map with the kernel's values when it is loaded ({@link KconfigSection}). Stateless.
 *
 * <p>Values: {@code LINUX_KERNEL_VERSION} (the version code), {@code LINUX_HAS_BPF_COOKIE},
 * {@code LINUX_HAS_SYSCALL_WRAPPER}, and {@code CONFIG_*} from the kernel's configuration ({@link KernelConfig}):
 * a {@code bool} is 1 for {@code y} or {@code m}; {@code enum libbpf_tristate} is 0, 1 ({@code y}) or 2
 * ({@code m}); an integer is the option's number; a {@code char} array its string. An option the kernel's
 * configuration does not set is 0 for a weak extern ({@code __weak}) and an error for any other.
 */
final class KconfigExterns {

    static final String SECTION = ".kconfig";

    private KconfigExterns() {
    }

    /** The id of the {@code .kconfig} DATASEC, when the object has externs there. */
    static OptionalInt datasec(Btf btf) {
        return btf == null ? OptionalInt.empty() : btf.findByName(SECTION, BtfKind.DATASEC);
    }

    /**
     * {@code btf} with the {@code .kconfig} DATASEC laid out: each extern at the next offset aligned to its size
     * (at most 8), the section's size rounded to 8, and the externs' linkage made global, since the kernel takes
     * no extern VAR.
     */
    static Btf layout(Btf btf) {
        OptionalInt id = datasec(btf);
        if (id.isEmpty()) {
            return btf;
        }
        BtfType.Datasec d = (BtfType.Datasec) btf.type(id.getAsInt());
        Btf out = btf;
        List<BtfType.VarSecinfo> vars = new ArrayList<>();
        long offset = 0;
        for (BtfType.VarSecinfo v : d.vars()) {
            if (!(btf.type(v.type()) instanceof BtfType.Var var)) {
                throw new ObjectFormatException("DATASEC .kconfig lists type " + v.type() + ", which is not a VAR");
            }
            long size = btf.resolveSize(var.type());
            if (size <= 0 || size > 4096) {
                throw new ObjectFormatException("kconfig extern '" + var.name() + "' has size " + size
                        + "; a kconfig extern is a bool, tristate, integer or char array of at most 4096 bytes");
            }
            long align = Math.min(8, Long.highestOneBit(size));
            offset = (offset + align - 1) / align * align;
            vars.add(new BtfType.VarSecinfo(v.type(), (int) offset, (int) size));
            offset += size;
            out = out.replace(v.type(), new BtfType.Var(var.name(), var.type(), BtfLinkage.GLOBAL));
        }
        return out.replace(id.getAsInt(), new BtfType.Datasec(SECTION, (int) ((offset + 7) / 8 * 8), vars));
    }

    /** Each extern's offset in the laid-out section, by name. */
    static Map<String, Integer> offsets(Btf btf, int datasec) {
        Map<String, Integer> offsets = new HashMap<>();
        for (BtfType.VarSecinfo v : ((BtfType.Datasec) btf.type(datasec)).vars()) {
            offsets.put(btf.type(v.type()).name(), v.offset());
        }
        return offsets;
    }

    /**
     * The section's contents: each extern's value for the running kernel ({@code config}), laid out as
     * {@link #layout} placed them.
     *
     * @param weak the names of the externs declared {@code __weak}
     * @throws ObjectFormatException for an extern the kernel has no value for that is not weak, or a value that
     *                               does not fit the extern's type; the message names the extern and the source
     */
    static byte[] values(Btf btf, int datasec, Set<String> weak, KernelConfig config) {
        BtfType.Datasec d = (BtfType.Datasec) btf.type(datasec);
        ByteBuffer out = ByteBuffer.allocate(d.size()).order(ByteOrder.nativeOrder());
        for (BtfType.VarSecinfo v : d.vars()) {
            BtfType.Var var = (BtfType.Var) btf.type(v.type());
            Optional<String> value = config.value(var.name());
            if (value.isEmpty()) {
                if (!weak.contains(var.name())) {
                    throw new ObjectFormatException("kconfig extern '" + var.name() + "' has no value on this kernel: "
                            + config.describe(var.name()) + "; declare it __weak to get 0 where it is missing");
                }
                continue;
            }
            write(btf, var, value.get(), out, v.offset(), v.size());
        }
        return out.array();
    }

    private static void write(Btf btf, BtfType.Var var, String value, ByteBuffer out, int at, int size) {
        BtfType type = btf.type(btf.skipModsAndTypedefs(var.type()));
        if (type instanceof BtfType.Int i && i.isBool()) {
            out.put(at, (byte) (value.equals("y") || value.equals("m") ? 1 : value.equals("n") ? 0 : bad(var, value, "a bool")));
        } else if (type instanceof BtfType.Enum e) {
            long n = switch (value) {
                case "n" -> 0;
                case "y" -> 1;
                case "m" -> 2;
                default -> bad(var, value, "a tristate (y, m or n)");
            };
            putInt(out, at, size, n);
        } else if (type instanceof BtfType.Int i) {
            long n;
            try {
                n = value.startsWith("0x") || value.startsWith("0X") ? Long.parseUnsignedLong(value.substring(2), 16)
                        : Long.parseLong(value);
            } catch (NumberFormatException ex) {
                n = bad(var, value, "an integer");
            }
            if (size < 8 && (i.isSigned() ? n < -(1L << (8 * size - 1)) || n >= 1L << (8 * size - 1)
                    : n < 0 || n >= 1L << (8 * size))) {
                bad(var, value, "a " + size + "-byte integer");
            }
            putInt(out, at, size, n);
        } else if (type instanceof BtfType.Array a) {
            String s = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                    ? value.substring(1, value.length() - 1) : value;
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            if (bytes.length >= size) {
                bad(var, value, "a string of at most " + (size - 1) + " bytes");
            }
            out.put(at, bytes);
        } else {
            bad(var, value, "a bool, tristate, integer or char array (its type is " + btf.describe(var.type()) + ")");
        }
    }

    private static void putInt(ByteBuffer out, int at, int size, long n) {
        switch (size) {
            case 1 -> out.put(at, (byte) n);
            case 2 -> out.putShort(at, (short) n);
            case 4 -> out.putInt(at, (int) n);
            case 8 -> out.putLong(at, n);
            default -> throw new ObjectFormatException("a kconfig integer of " + size + " bytes is not 1, 2, 4 or 8");
        }
    }

    /** Throws the error for a value that does not fit; typed as returning so callers can use it in expressions. */
    private static int bad(BtfType.Var var, String value, String wanted) {
        throw new ObjectFormatException("kconfig extern '" + var.name() + "' is " + wanted + ", but this kernel's"
                + " value is '" + value + "'");
    }
}
