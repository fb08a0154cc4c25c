package io.reactorbpf.spring.boot;

import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One BPF object under {@code reactorbpf.objects.NAME}: where its file is, the global variables set before it is
 * loaded, whether its programs are attached, and which of its maps are streamed. Immutable.
 *
 * @param location  the object file: {@code classpath:PATH} for a resource of the application, otherwise a file
 *                  path ({@code file:} prefix optional)
 * @param globals   global variables ({@code const volatile} in .rodata, or .data, .bss) set before load, by name;
 *                  each value is read by the variable's BTF type: a string for a char array, true or false for a
 *                  bool, a decimal or 0x-hexadecimal integer, or an enum's enumerator name
 * @param attach    whether every program with an attach point in its section name is attached after load, as a
 *                  libbpf skeleton's attach does; the links close with the object
 * @param streams   the maps streamed as {@link BpfEventStream} beans, by map name: a PERF_EVENT_ARRAY map is read
 *                  through per-CPU perf rings, a RINGBUF map through its ring
 */
public record BpfObjectProperties(String location, Map<String, String> globals, @DefaultValue("true") boolean attach,
                                  Map<String, BpfStreamProperties> streams) {

    /**
     * Checks that the object has a location; copies the maps, keeping their order.
     *
     * @param location where the object file is
     * @param globals  global variables set before load, by name
     * @param attach   whether the programs are attached by their sections
     * @param streams  the maps streamed, by name
     */
    public BpfObjectProperties {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("location is required: classpath:PATH for a resource of the"
                    + " application, or the path of a .bpf.o file");
        }
        globals = globals == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(globals));
        streams = streams == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(streams));
    }
}
