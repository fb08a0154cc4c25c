package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.UapiProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@link AttrField} of every layout in {@link BpfAttr} has the offset and size that {@code union bpf_attr}
 * has in the installed linux/bpf.h, as gcc computes them.
 */
class BpfAttrLayoutTest {

    /** A field of one layout class, found by reflection. */
    private record Member(Class<?> layout, String constant, AttrField field) {
        String label() {
            return layout.getSimpleName() + "." + constant + " (" + field.name() + ")";
        }
    }

    /** What the header says about one member designator. */
    private record CLayout(int offset, int size) {
    }

    private static List<Member> members;
    private static Map<String, CLayout> header;

    @BeforeAll
    static void compileProbe() throws IllegalAccessException {
        members = members();
        StringBuilder c = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n#include <linux/bpf.h>\n"
                + "int main(void) {\n");
        members.stream().map(m -> m.field().name()).distinct().forEach(name -> c.append(String.format(
                "    printf(\"%s %%zu %%zu\\n\", offsetof(union bpf_attr, %s), sizeof(((union bpf_attr *)0)->%s));%n",
                name, name, name)));
        c.append("    return 0;\n}\n");
        header = new HashMap<>();
        for (String line : UapiProbe.run(c.toString()).split("\n")) {
            String[] parts = line.trim().split(" ");
            header.put(parts[0], new CLayout(Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
        }
    }

    private static List<Member> members() throws IllegalAccessException {
        List<Member> found = new ArrayList<>();
        for (Class<?> layout : layouts()) {
            for (Field f : layout.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (f.getType() == AttrField.class && Modifier.isStatic(mod) && Modifier.isPublic(mod)) {
                    found.add(new Member(layout, f.getName(), (AttrField) f.get(null)));
                }
            }
        }
        return found;
    }

    private static List<Class<?>> layouts() {
        return Arrays.stream(BpfAttr.class.getDeclaredClasses())
                .sorted(Comparator.comparing(Class::getSimpleName)).toList();
    }

    private static int end(Class<?> layout) {
        try {
            return layout.getField("END").getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(layout.getSimpleName() + " has no public int END", e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFieldHasTheHeadersOffsetAndSize() {
        return members.stream().map(m -> DynamicTest.dynamicTest(m.label(), () -> {
            CLayout c = header.get(m.field().name());
            assertNotNull(c, "the probe printed nothing for " + m.field().name());
            assertEquals(c.offset(), m.field().offset(), "offsetof(union bpf_attr, " + m.field().name() + ")");
            assertEquals(c.size(), m.field().size(), "sizeof " + m.field().name());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyLayoutEndCoversItsFields() {
        return layouts().stream().map(layout -> DynamicTest.dynamicTest(layout.getSimpleName(), () -> {
            int end = end(layout);
            for (Member m : members) {
                if (m.layout() == layout) {
                    assertTrue(m.field().end() <= end, m.label() + " ends at " + m.field().end()
                            + ", past " + layout.getSimpleName() + ".END = " + end);
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyLayoutFitsTheReservedAttrMemory() {
        return layouts().stream().map(layout -> DynamicTest.dynamicTest(layout.getSimpleName(),
                () -> assertTrue(end(layout) <= BpfAttr.SIZE,
                        layout.getSimpleName() + ".END = " + end(layout) + " exceeds BpfAttr.SIZE = " + BpfAttr.SIZE)));
    }

    @Test
    void everyLayoutDeclaresFields() {
        for (Class<?> layout : layouts()) {
            assertFalse(members.stream().noneMatch(m -> m.layout() == layout),
                    layout.getSimpleName() + " declares no AttrField");
        }
    }
}
