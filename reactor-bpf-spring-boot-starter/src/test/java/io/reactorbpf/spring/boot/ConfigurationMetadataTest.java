package io.reactorbpf.spring.boot;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration processor's metadata, which IDEs complete the properties from, describes them. */
class ConfigurationMetadataTest {

    @Test
    void theObjectsPropertyIsDescribedWithWhatEachObjectTakes() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertNotNull(in, "the processor wrote no metadata");
            metadata = JsonMapper.builder().build().readTree(in);
        }
        JsonNode objects = null;
        for (JsonNode property : metadata.get("properties")) {
            if (property.get("name").asString().equals("reactorbpf.objects")) {
                objects = property;
            }
        }
        assertNotNull(objects, metadata.toString());
        assertEquals("java.util.Map<java.lang.String," + BpfObjectProperties.class.getName() + ">",
                objects.get("type").asString());
        String description = objects.get("description").asString();
        for (String part : new String[] {"location", "globals.VARIABLE", "attach", "streams.MAP", "pages", "wakeup",
                "latency-bound", "subscriber-buffer", "kafka-topic", "kafka-type"}) {
            assertTrue(description.contains(part), description);
        }
    }
}
