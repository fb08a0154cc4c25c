package io.reactorbpf.kafka;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/** One JSON object written into a new byte array; the factory is thread-safe, each call has its own generator. */
final class JsonValues {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private JsonValues() {
    }

    /** The object whose properties {@code properties} writes, as UTF-8 bytes. */
    static byte[] object(Consumer<JsonGenerator> properties) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            properties.accept(g);
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
