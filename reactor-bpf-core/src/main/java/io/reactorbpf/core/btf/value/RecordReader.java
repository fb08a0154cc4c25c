package io.reactorbpf.core.btf.value;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds one record class from a struct or union's layout: each record component reads the member of the same
 * name (a snake_case member also matches its camelCase component), converted to the component's Java type.
 * Matching and conversion checks happen once, in the constructor. Immutable and safe to share.
 */
final class RecordReader<R extends Record> {

    /** Reads one component's value from a composite starting at {@code position}. */
    @FunctionalInterface
    private interface ComponentReader {
        Object read(ByteBuffer buffer, int position, int end);
    }

    private record Member(String name, int offset, Layout layout) {
    }

    private final Class<R> type;
    private final Constructor<R> constructor;
    private final ComponentReader[] components;

    RecordReader(Class<R> type, CompositeLayout layout) {
        if (!type.isRecord()) {
            throw new BtfValueException(type.getName() + " is not a record class: decode into a record");
        }
        this.type = type;
        Map<String, Member> members = new LinkedHashMap<>();
        collect(layout, 0, members);
        RecordComponent[] declared = type.getRecordComponents();
        Class<?>[] types = new Class<?>[declared.length];
        components = new ComponentReader[declared.length];
        for (int i = 0; i < declared.length; i++) {
            RecordComponent c = declared[i];
            types[i] = c.getType();
            Member member = match(c, members, layout);
            components[i] = reader(c, member, layout);
        }
        try {
            constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new BtfValueException("cannot use the canonical constructor of " + type.getName() + ": " + e);
        }
    }

    R read(ByteBuffer buffer, int position, int end) {
        Object[] arguments = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            arguments[i] = components[i].read(buffer, position, end);
        }
        try {
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new BtfValueException("the constructor of " + type.getName() + " failed: " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new BtfValueException("cannot construct " + type.getName() + ": " + e);
        }
    }

    private static void collect(CompositeLayout layout, int base, Map<String, Member> into) {
        for (CompositeLayout.Field f : layout.fields) {
            if (f.name() == null) {
                collect((CompositeLayout) f.layout(), base + f.offset(), into);
            } else {
                into.putIfAbsent(f.name(), new Member(f.name(), base + f.offset(), f.layout()));
            }
        }
    }

    private Member match(RecordComponent c, Map<String, Member> members, CompositeLayout layout) {
        Member exact = members.get(c.getName());
        if (exact != null) {
            return exact;
        }
        for (Member m : members.values()) {
            if (camelCase(m.name()).equals(c.getName())) {
                return m;
            }
        }
        throw new BtfValueException("record component " + where(c) + " has no member in " + layout.cType
                + " (members: " + String.join(", ", members.keySet()) + "): name each component after a member; "
                + "a snake_case member also matches its camelCase name");
    }

    static String camelCase(String snake) {
        StringBuilder out = new StringBuilder(snake.length());
        boolean upper = false;
        for (int i = 0; i < snake.length(); i++) {
            char ch = snake.charAt(i);
            if (ch == '_' && out.length() > 0) {
                upper = true;
            } else if (ch != '_') {
                out.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return out.toString();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private ComponentReader reader(RecordComponent c, Member m, CompositeLayout owner) {
        Class<?> t = c.getType();
        Layout layout = m.layout();
        int offset = m.offset();
        if (t == long.class || t == int.class || t == short.class || t == byte.class || t == boolean.class) {
            IntegerLayout integer = require(layout, IntegerLayout.class, c, m, owner);
            int width = t == long.class ? 64 : t == int.class ? 32 : t == short.class ? 16 : 8;
            if (t != boolean.class && integer.bits.bits > width) {
                throw mismatch(c, m, owner, "its " + integer.bits.bits + " bits do not fit in a " + t.getName());
            }
            Object zero = zero(t);
            return (b, p, e) -> {
                int at = p + offset;
                if (!integer.presentAt(at, e)) {
                    return zero;
                }
                long v = integer.read(b, at);
                return t == long.class ? (Object) v : t == int.class ? (Object) (int) v
                        : t == short.class ? (Object) (short) v : t == byte.class ? (Object) (byte) v : (Object) (v != 0);
            };
        }
        if (t == double.class || t == float.class) {
            FloatLayout f = require(layout, FloatLayout.class, c, m, owner);
            if (t == float.class && f.size != 4) {
                throw mismatch(c, m, owner, "a double does not fit in a float");
            }
            Object zero = zero(t);
            return (b, p, e) -> !f.presentAt(p + offset, e) ? zero
                    : t == double.class ? (Object) f.read(b, p + offset) : (Object) f.readFloat(b, p + offset);
        }
        if (t == String.class) {
            if (layout instanceof StringLayout s) {
                return (b, p, e) -> s.presentAt(p + offset, e) ? s.decode(b, p + offset, e) : null;
            }
            EnumLayout en = require(layout, EnumLayout.class, c, m, owner);
            return (b, p, e) -> {
                if (!en.presentAt(p + offset, e)) {
                    return null;
                }
                long v = en.read(b, p + offset);
                String name = en.name(v);
                return name != null ? name : en.bits.exceedsLong(v) ? Long.toUnsignedString(v) : Long.toString(v);
            };
        }
        if (t == byte[].class) {
            return (b, p, e) -> {
                if (!layout.presentAt(p + offset, e)) {
                    return null;
                }
                byte[] bytes = new byte[layout.presentBytes(p + offset, e)];
                b.get(p + offset, bytes, 0, bytes.length);
                return bytes;
            };
        }
        if (t == int[].class || t == long[].class) {
            ArrayLayout array = require(layout, ArrayLayout.class, c, m, owner);
            int width = t == int[].class ? 32 : 64;
            if (!(array.element instanceof IntegerLayout element) || element.bits.bits > width) {
                throw mismatch(c, m, owner, "its elements are not integers of at most " + width + " bits");
            }
            int stride = element.size;
            return (b, p, e) -> {
                int at = p + offset;
                if (!array.presentAt(at, e)) {
                    return null;
                }
                int n = array.count(at, e);
                if (t == int[].class) {
                    int[] values = new int[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = (int) element.read(b, at + i * stride);
                    }
                    return values;
                }
                long[] values = new long[n];
                for (int i = 0; i < n; i++) {
                    values[i] = element.read(b, at + i * stride);
                }
                return values;
            };
        }
        if (t.isRecord()) {
            CompositeLayout nested = require(layout, CompositeLayout.class, c, m, owner);
            RecordReader<?> inner = new RecordReader(t, nested);
            return (b, p, e) -> nested.presentAt(p + offset, e) ? inner.read(b, p + offset, e) : null;
        }
        throw mismatch(c, m, owner, "components may be int, long, short, byte, boolean, double, float, String, "
                + "byte[], int[], long[] or a record");
    }

    /** The default value of primitive type {@code t}, boxed as its own wrapper type. */
    private static Object zero(Class<?> t) {
        if (t == long.class) {
            return 0L;
        } else if (t == int.class) {
            return 0;
        } else if (t == short.class) {
            return (short) 0;
        } else if (t == byte.class) {
            return (byte) 0;
        } else if (t == double.class) {
            return 0.0;
        } else if (t == float.class) {
            return 0.0f;
        }
        return false;
    }

    private <L extends Layout> L require(Layout layout, Class<L> kind, RecordComponent c, Member m,
                                         CompositeLayout owner) {
        if (!kind.isInstance(layout)) {
            throw mismatch(c, m, owner, "the member's type does not convert to " + c.getType().getSimpleName());
        }
        return kind.cast(layout);
    }

    private BtfValueException mismatch(RecordComponent c, Member m, CompositeLayout owner, String why) {
        return new BtfValueException("record component " + where(c) + " (" + c.getType().getSimpleName()
                + ") cannot hold member '" + m.name() + "' of " + owner.cType + ", a " + m.layout().cType
                + ": " + why);
    }

    private String where(RecordComponent c) {
        return type.getSimpleName() + "." + c.getName();
    }
}
