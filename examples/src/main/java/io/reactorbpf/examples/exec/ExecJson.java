package io.reactorbpf.examples.exec;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.StringWriter;

/**
 * Exec signals as JSON objects: an exec is {@code {"cpu":..,"pid":..,"ppid":..,"uid":..,"comm":"..","args":[..]}},
 * a ring loss {@code {"lost":N,"cpu":C}}, a client loss {@code {"lost":N,"client":true}}. Stateless and
 * thread-safe.
 */
public final class ExecJson {

    private static final JsonFactory JSON = new JsonFactory();

    private ExecJson() {
    }

    /** Writes {@code signal} as one JSON object value into {@code generator}. */
    public static void write(JsonGenerator generator, ExecSignal signal) {
        generator.writeStartObject();
        if (signal instanceof ExecEvent e) {
            generator.writeNumberProperty("cpu", e.cpu());
            generator.writeNumberProperty("pid", e.pid());
            generator.writeNumberProperty("ppid", e.ppid());
            generator.writeNumberProperty("uid", Integer.toUnsignedLong(e.uid()));
            generator.writeStringProperty("comm", e.comm());
            generator.writeName("args");
            generator.writeStartArray();
            for (String arg : e.args()) {
                generator.writeString(arg);
            }
            generator.writeEndArray();
        } else if (signal instanceof Lost l) {
            generator.writeNumberProperty("lost", l.count());
            if (l.inClient()) {
                generator.writeBooleanProperty("client", true);
            } else {
                generator.writeNumberProperty("cpu", l.cpu());
            }
        }
        generator.writeEndObject();
    }

    /** {@code signal} as a JSON text without a line end. */
    public static String toJson(ExecSignal signal) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            write(generator, signal);
        }
        return out.toString();
    }
}
