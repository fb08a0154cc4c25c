package io.reactorbpf.spring.boot;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.attach.BpfLink;
import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.object.MapSpec;
import io.reactorbpf.core.object.ObjectSpec;
import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.sys.MapType;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.ClassUtils;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads the objects of {@link BpfProperties}: reads the file at the object's location, sets its globals, sizes its
 * streamed ring buffers, loads it and, when asked, attaches its programs. Every failure is a
 * {@link BpfPropertyException} naming the property at fault; what a failed load had created is released first.
 * Remembers each object it loaded and the links its load made, for the health indicator. Thread-safe.
 */
final class BpfObjectLoader {

    /** The sink that kafka-topic needs, named rather than referenced: the starter runs without Kafka. */
    private static final String KAFKA_SINK = "io.reactorbpf.kafka.KafkaSink";
    private static final String CLASSPATH = "classpath:";
    private static final String FILE = "file:";

    private final BpfProperties properties;
    private final ClassLoader classLoader;
    private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();

    /** Loads from {@code properties}; {@code classpath:} locations are resources of {@code classLoader}. */
    BpfObjectLoader(BpfProperties properties, ClassLoader classLoader) {
        this.properties = properties;
        this.classLoader = classLoader;
    }

    /** The property prefix of object {@code name}. */
    static String prefix(String name) {
        return "reactorbpf.objects." + name;
    }

    /**
     * Loads object {@code name} and attaches its programs when its {@code attach} property is true. The caller owns
     * the object and closes it. Throws a {@link BpfPropertyException} naming the property that is wrong.
     */
    BpfObject load(String name) {
        BpfObjectProperties object = properties.objects().get(name);
        if (object == null) {
            throw new BpfPropertyException(prefix(name), "no such object is configured; configured: "
                    + properties.objects().keySet());
        }
        ObjectSpec spec = open(name, object.location());
        object.globals().forEach((variable, value) -> {
            try {
                spec.variable(variable).assign(value);
            } catch (BpfException e) {
                throw new BpfPropertyException(prefix(name) + ".globals." + variable, e);
            }
        });
        object.streams().forEach((map, stream) -> {
            prepareStream(spec, name, map, stream);
            if (stream.kafkaTopic() != null && !ClassUtils.isPresent(KAFKA_SINK, classLoader)) {
                throw new BpfPropertyException(prefix(name) + ".streams." + map + ".kafka-topic", "shipping to Kafka"
                        + " needs io.reactorbpf:reactor-bpf-kafka on the class path");
            }
        });
        BpfObject loaded;
        try {
            loaded = spec.load();
        } catch (BpfException e) {
            throw new BpfPropertyException(prefix(name) + ".location", e);
        }
        try {
            this.loaded.put(name, new Loaded(loaded, object.attach() ? loaded.attachAll() : List.of(), spec.btf()));
            return loaded;
        } catch (BpfException e) {
            loaded.close();
            throw new BpfPropertyException(prefix(name) + ".attach", e);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /** The BTF of object {@code name} as its file has it, once it was loaded; empty when it has none. */
    Optional<Btf> btf(String name) {
        Loaded l = loaded.get(name);
        return l == null ? Optional.empty() : l.btf();
    }

    /** The objects loaded so far, by name, with the links their loads made. */
    Map<String, Loaded> loaded() {
        return Collections.unmodifiableMap(loaded);
    }

    /**
     * An object this loader loaded and the links its load made (none when its {@code attach} property is false).
     *
     * @param object the object, owned by its bean
     * @param links  the links, owned by the object
     * @param btf    the types of its file, empty when it has none
     */
    record Loaded(BpfObject object, List<BpfLink> links, Optional<Btf> btf) {
    }

    private ObjectSpec open(String name, String location) {
        String property = prefix(name) + ".location";
        byte[] bytes;
        try {
            bytes = location.startsWith(CLASSPATH) ? resource(location.substring(CLASSPATH.length()), property)
                    : Files.readAllBytes(Path.of(location.startsWith(FILE) ? location.substring(FILE.length())
                    : location));
        } catch (NoSuchFileException e) {
            throw new BpfPropertyException(property, "no file " + e.getFile());
        } catch (IOException e) {
            throw new BpfPropertyException(property, "cannot read " + location + ": " + e.getMessage());
        }
        try {
            return BpfObject.open(bytes, name);
        } catch (BpfException e) {
            throw new BpfPropertyException(property, e);
        }
    }

    private byte[] resource(String path, String property) throws IOException {
        ClassPathResource resource = new ClassPathResource(path, classLoader);
        if (!resource.exists()) {
            throw new BpfPropertyException(property, "no class path resource " + resource.getPath());
        }
        try (InputStream in = resource.getInputStream()) {
            return in.readAllBytes();
        }
    }

    /** Checks that the streamed map is there and streamable, and sizes a ring buffer to its pages. */
    private static void prepareStream(ObjectSpec spec, String object, String map, BpfStreamProperties stream) {
        String property = prefix(object) + ".streams." + map;
        MapSpec m;
        try {
            m = spec.map(map);
        } catch (BpfException e) {
            throw new BpfPropertyException(property, e);
        }
        if (m.type() != MapType.PERF_EVENT_ARRAY && m.type() != MapType.RINGBUF) {
            throw new BpfPropertyException(property, "map '" + map + "' is of type " + m.type()
                    + "; only PERF_EVENT_ARRAY and RINGBUF maps stream events");
        }
        if (m.type() == MapType.RINGBUF && stream.wakeup() != null) {
            throw new BpfPropertyException(property + ".wakeup", "map '" + map + "' is a ring buffer, whose"
                    + " reader the kernel wakes on each commit; wakeup applies to PERF_EVENT_ARRAY maps");
        }
        if (m.type() == MapType.RINGBUF && stream.pages() != null) {
            try {
                m.maxEntries(Math.multiplyExact(stream.pages(), Kernel.pageSize()));
            } catch (BpfException | ArithmeticException e) {
                throw new BpfPropertyException(property + ".pages", e);
            }
        }
    }
}
