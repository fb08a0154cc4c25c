package io.reactorbpf.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code reactorbpf.*} properties: the BPF objects the application loads, by name. Each object becomes a
 * {@link io.reactorbpf.core.object.BpfObject} bean named after it, and each map it streams a
 * {@link BpfEventStream} bean named {@code OBJECT.MAP}:
 *
 * <pre>
 * reactorbpf.objects.execsnoop.location=classpath:bpf/execsnoop.bpf.o
 * reactorbpf.objects.execsnoop.globals.target_uid=1000
 * reactorbpf.objects.execsnoop.streams.events.subscriber-buffer=1024
 * </pre>
 *
 * Immutable; bound once at start-up.
 *
 * @param objects the BPF objects to load, by name (the name of the object's bean and the prefix of its global data
 *                maps' kernel names), each with: location (classpath:PATH or a file path of its .bpf.o file),
 *                globals.VARIABLE (a global variable's value, set before load), attach (true by default: attach its
 *                programs by their sections), and streams.MAP for each map streamed as a shared event stream, with
 *                pages, wakeup, latency-bound, subscriber-buffer, and kafka-topic and kafka-type to ship it to Kafka
 *                with the producer of reactorbpf.kafka.*
 */
@ConfigurationProperties("reactorbpf")
public record BpfProperties(Map<String, BpfObjectProperties> objects) {

    /**
     * Copies the objects, keeping the order the configuration gives them in.
     *
     * @param objects the objects to load, by name
     */
    public BpfProperties {
        objects = objects == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(objects));
    }
}
