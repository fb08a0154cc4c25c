package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.UapiProbe;
import io.reactorbpf.core.sys.PerfEventAttr;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link PerfEventAttr}'s members and flag bits sit where {@code struct perf_event_attr} in the installed
 * linux/perf_event.h puts them, as gcc computes them; and what {@link PerfEventAttrLayout#encode} writes is what
 * C code setting the same fields writes.
 */
class PerfEventAttrLayoutTest {

    private static final List<AttrField> MEMBERS = List.of(PerfEventAttrLayout.TYPE, PerfEventAttrLayout.SIZE,
            PerfEventAttrLayout.CONFIG, PerfEventAttrLayout.SAMPLE_PERIOD, PerfEventAttrLayout.SAMPLE_FREQ, PerfEventAttrLayout.SAMPLE_TYPE,
            PerfEventAttrLayout.READ_FORMAT, PerfEventAttrLayout.WAKEUP_EVENTS, PerfEventAttrLayout.WAKEUP_WATERMARK,
            PerfEventAttrLayout.BP_TYPE, PerfEventAttrLayout.CONFIG1, PerfEventAttrLayout.CONFIG2);

    @Test
    void everyMemberHasTheHeadersOffsetAndSize() {
        StringBuilder c = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n#include <linux/perf_event.h>\n"
                + "int main(void) {\n");
        for (AttrField f : MEMBERS) {
            c.append(String.format("    printf(\"%s %%zu %%zu\\n\", offsetof(struct perf_event_attr, %s),"
                    + " sizeof(((struct perf_event_attr *)0)->%s));%n", f.name(), f.name(), f.name()));
        }
        c.append("    printf(\"sizeof %zu 0\\n\", sizeof(struct perf_event_attr));\n    return 0;\n}\n");
        Map<String, int[]> header = parse(UapiProbe.run(c.toString()));
        for (AttrField f : MEMBERS) {
            assertEquals(f.offset(), header.get(f.name())[0], f.name() + " offset");
            assertEquals(f.size(), header.get(f.name())[1], f.name() + " size");
        }
        assertEquals(PerfEventAttrLayout.ENCODED_SIZE, header.get("sizeof")[0], "PERF_ATTR_SIZE_VER7 of the installed header");
    }

    @Test
    void flagBitsMatchTheHeadersBitfields() {
        String c = "#include <stdio.h>\n#include <string.h>\n#include <linux/perf_event.h>\n"
                + "static unsigned long long word(struct perf_event_attr *a) {\n"
                + "    unsigned long long w; memcpy(&w, (char *)a + 40, 8); return w; }\n"
                + "int main(void) {\n"
                + "    struct perf_event_attr a;\n"
                + "    memset(&a, 0, sizeof a); a.disabled = 1; printf(\"disabled %llu\\n\", word(&a));\n"
                + "    memset(&a, 0, sizeof a); a.inherit = 1; printf(\"inherit %llu\\n\", word(&a));\n"
                + "    memset(&a, 0, sizeof a); a.freq = 1; printf(\"freq %llu\\n\", word(&a));\n"
                + "    memset(&a, 0, sizeof a); a.watermark = 1; printf(\"watermark %llu\\n\", word(&a));\n"
                + "    memset(&a, 0, sizeof a); a.write_backward = 1; printf(\"write_backward %llu\\n\", word(&a));\n"
                + "    return 0;\n}\n";
        Map<String, Long> words = new HashMap<>();
        for (String line : UapiProbe.run(c).split("\n")) {
            String[] p = line.trim().split(" ");
            words.put(p[0], Long.parseUnsignedLong(p[1]));
        }
        assertEquals(words.get("disabled"), 1L << PerfEventAttr.BIT_DISABLED);
        assertEquals(words.get("inherit"), 1L << PerfEventAttr.BIT_INHERIT);
        assertEquals(words.get("freq"), 1L << PerfEventAttr.BIT_FREQ);
        assertEquals(words.get("watermark"), 1L << PerfEventAttr.BIT_WATERMARK);
        assertEquals(words.get("write_backward"), 1L << PerfEventAttr.BIT_WRITE_BACKWARD);
    }

    @Test
    void encodingEqualsTheStructCBuilds() {
        String c = "#include <stdio.h>\n#include <string.h>\n#include <linux/perf_event.h>\n"
                + "int main(void) {\n"
                + "    struct perf_event_attr a; memset(&a, 0, sizeof a);\n"
                + "    a.type = PERF_TYPE_SOFTWARE; a.size = sizeof a; a.config = PERF_COUNT_SW_BPF_OUTPUT;\n"
                + "    a.sample_period = 1; a.sample_type = PERF_SAMPLE_RAW; a.watermark = 1; a.wakeup_watermark = 4096;\n"
                + "    a.write_backward = 1; a.config1 = 0x1122334455667788ULL; a.config2 = 42;\n"
                + "    for (size_t i = 0; i < sizeof a; i++) printf(\"%02x\", ((unsigned char *)&a)[i]);\n"
                + "    printf(\"\\n\"); return 0;\n}\n";
        PerfEventAttr attr = PerfEventAttr.bpfOutput(1).wakeupWatermark(4096).writeBackward(true)
                .config1(0x1122334455667788L).config2(42);
        NativeBuffer encoded = PerfEventAttrLayout.encode(attr);
        assertEquals(UapiProbe.run(c).trim(), hex(encoded.buffer(), PerfEventAttrLayout.ENCODED_SIZE));
    }

    private static Map<String, int[]> parse(String out) {
        Map<String, int[]> m = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] p = line.trim().split(" ");
            m.put(p[0], new int[] {Integer.parseInt(p[1]), Integer.parseInt(p[2])});
        }
        return m;
    }

    private static String hex(ByteBuffer b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%02x", b.get(i)));
        }
        return sb.toString();
    }
}
