package io.reactorbpf.core.btf.value;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.internal.elf.ElfFile;
import io.reactorbpf.core.sys.UapiProbe;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * The committed object src/test/resources/bpf/value/shapes.bpf.o (struct event from shapes.h in its BTF) and
 * sample bytes for that struct laid out by gcc from the same header, so the expected JSON follows C's layout
 * rather than the decoder's reading of BTF.
 */
final class EventShapes {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** Each scenario fills a calloc'd struct event plus 8 tail bytes and prints how many bytes to send. */
    private static final String PROBE = """
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <stddef.h>
            %s
            static void dump(const struct event *e, size_t n)
            {
            	const unsigned char *b = (const unsigned char *)e;
            	for (size_t i = 0; i < n; i++)
            		printf("%%02x", b[i]);
            	printf("\\n");
            }
            static struct event *fresh(void) { return calloc(1, sizeof(struct event) + 8); }
            int main(void)
            {
            	struct event *e = fresh();
            	e->u8_val = 255; e->s8_val = -128; e->u16_val = 65535; e->s16_val = -32768;
            	e->u32_val = 4294967295u; e->s32_val = -2147483647 - 1;
            	e->u64_val = 18446744073709551615ull; e->s64_val = -9223372036854775807ll - 1;
            	e->flag = 1; e->letter = 'A'; e->low = 5; e->mid = -3; e->high = 4194303;
            	e->kind = KIND_EXEC; e->pid = 4242; strcpy(e->comm, "reactor-bpf");
            	e->counts[0] = -1; e->counts[1] = 0; e->counts[2] = 7;
            	e->addr.port = 8080; e->addr.family = 2; e->addr.flags = 0x80; e->addr.ip = 0x0100007f;
            	e->arg.as_u64 = 0xfffffffeull;
            	e->where = (const char *)0xffff888012345678ull;
            	e->ratio_f = 0.5f; e->ratio = 2.25;
            	*(u32 *)&e->qualified = 7;
            	e->inner_a = 1; e->inner_b = 2;
            	e->tail_len = 5; memcpy(e->tail, "hello", 5);
            	dump(e, sizeof(*e) + 5);

            	e = fresh();
            	e->u64_val = 9223372036854775807ull; e->mid = -64; e->high = 1;
            	e->kind = (enum event_kind)7; memcpy(e->comm, "abcdefghijklmnop", 16);
            	e->tail_len = 5; memcpy(e->tail, "hi\\0xy", 5);
            	dump(e, sizeof(*e) + 5);

            	e = fresh();
            	e->kind = KIND_OPEN; memcpy(e->comm, "\\xc3(ok", 5);
            	memcpy(e->tail, "\\xff\\xfe", 2);
            	dump(e, sizeof(*e) + 2);

            	printf("%%zu\\n", sizeof(struct event));
            #define OFFSET(m) printf(#m " %%zu\\n", offsetof(struct event, m))
            	OFFSET(u8_val); OFFSET(s8_val); OFFSET(u16_val); OFFSET(s16_val); OFFSET(u32_val); OFFSET(s32_val);
            	OFFSET(u64_val); OFFSET(s64_val); OFFSET(flag); OFFSET(letter); OFFSET(kind); OFFSET(pid);
            	OFFSET(comm); OFFSET(counts); OFFSET(addr); OFFSET(arg); OFFSET(where); OFFSET(ratio_f);
            	OFFSET(ratio); OFFSET(qualified); OFFSET(inner_a); OFFSET(inner_b); OFFSET(tail_len); OFFSET(tail);
            	return 0;
            }
            """;

    private static volatile List<String> probeLines;

    private EventShapes() {
    }

    static Btf btf() {
        ByteBuffer data = ElfFile.parse(resource("/bpf/value/shapes.bpf.o")).section(".BTF").orElseThrow().data();
        return Btf.parse(data);
    }

    /** Every value set: near-limit integers, bitfields, a known enum, strings with NUL, "hello" in the tail. */
    static byte[] full() {
        return sample(0);
    }

    /** An enum value with no name, a comm of 16 bytes and no NUL, a tail with a NUL inside. */
    static byte[] edges() {
        return sample(1);
    }

    /** Malformed UTF-8 in comm and in the tail. */
    static byte[] malformed() {
        return sample(2);
    }

    /** gcc's {@code sizeof(struct event)}. */
    static int size() {
        return Integer.parseInt(probe().get(3));
    }

    /** gcc's {@code offsetof(struct event, ...)} lines: "member offset". */
    static List<String> offsets() {
        return probe().subList(4, probe().size());
    }

    /** gcc's {@code offsetof(struct event, member)}. */
    static int offset(String member) {
        for (String line : offsets()) {
            String[] parts = line.split(" ");
            if (parts[0].equals(member)) {
                return Integer.parseInt(parts[1]);
            }
        }
        throw new AssertionError("the probe printed no offset for " + member);
    }

    static String json(BtfJsonDecoder decoder, ByteBuffer buffer, int offset, int length) {
        return MAPPER.writeValueAsString(decoder.toTree(buffer, offset, length));
    }

    static String written(BtfJsonDecoder decoder, ByteBuffer buffer, int offset, int length) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = MAPPER.createGenerator(out)) {
            decoder.write(generator, buffer, offset, length);
        }
        return out.toString();
    }

    private static byte[] sample(int index) {
        return HexFormat.of().parseHex(probe().get(index));
    }

    private static List<String> probe() {
        List<String> lines = probeLines;
        if (lines == null) {
            String header = new String(resource("/bpf/value/shapes.h"), StandardCharsets.UTF_8);
            lines = UapiProbe.run(PROBE.formatted(header)).lines().toList();
            probeLines = lines;
        }
        return lines;
    }

    private static byte[] resource(String name) {
        try (InputStream in = EventShapes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError("test resource " + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
