package io.reactorbpf.core.object;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.ElfFormatException;
import io.reactorbpf.core.attach.BpfLink;
import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.sys.FileDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A BPF object loaded into the kernel: its programs, maps, global variables and BTF. Open a file with
 * {@link #open(Path)}, adjust the returned {@link ObjectSpec}, then {@link ObjectSpec#load()} it.
 *
 * <p>Owns every descriptor it holds, and the links {@link #attachAll()} made: {@link #close()} detaches those and
 * releases the rest exactly once (maps given with {@link MapSpec#reuse} stay open; pinned maps stay pinned).
 * Lookups and {@link #attachAll()} are thread-safe; close it once nothing uses it.
 *
 * @since 0.1
 */
public final class BpfObject implements AutoCloseable {

    private final String name;
    private final Map<String, BpfProgram> programs;
    private final List<String> notLoaded;
    private final Map<String, BpfMap> maps;
    private final List<BpfMap> ownedMaps;
    private final Map<String, GlobalVariable> variables;
    private final FileDescriptor btf;
    /** The links attachAll made, by program name; guarded by itself. */
    private final Map<String, BpfLink> links = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    BpfObject(String name, Map<String, BpfProgram> programs, List<String> notLoaded, Map<String, BpfMap> maps,
              List<BpfMap> ownedMaps, Map<String, GlobalVariable> variables, FileDescriptor btf) {
        this.name = name;
        this.programs = programs;
        this.notLoaded = notLoaded;
        this.maps = maps;
        this.ownedMaps = ownedMaps;
        this.variables = variables;
        this.btf = btf;
    }

    /**
     * Opens the BPF object file {@code file}; its name is the file name up to the first dot. Reads and parses
     * the whole file; nothing reaches the kernel until {@link ObjectSpec#load()}.
     *
     * @param file a BPF ELF object, as clang -target bpf writes it
     * @return the object's editable spec, owned by the caller and holding no kernel resources
     * @throws java.io.UncheckedIOException when the file cannot be read
     * @throws io.reactorbpf.core.ElfFormatException when it is not a well-formed 64-bit little-endian BPF ELF
     * @throws io.reactorbpf.core.btf.BtfFormatException when its .BTF or .BTF.ext section is malformed
     * @throws ObjectFormatException naming the section or symbol the loader cannot read (a map definition, a
     *         relocation, an unknown program section)
     */
    public static ObjectSpec open(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read BPF object " + file, e);
        }
        String fileName = file.getFileName().toString();
        int dot = fileName.indexOf('.');
        return read(file.toString(), dot > 0 ? fileName.substring(0, dot) : fileName, bytes);
    }

    /**
     * Opens a BPF object from its bytes; {@code name} prefixes the global data maps' names.
     *
     * @param bytes the ELF file's bytes, such as a resource embedded in a jar; not kept after parsing
     * @param name the object's name; its global data maps' kernel names keep as much of it as fits in 15 bytes
     *        with the section name, as libbpf does (8 characters before ".rodata")
     * @return the object's editable spec, owned by the caller and holding no kernel resources
     * @throws ElfFormatException if the bytes are not a well-formed ELF object, naming the object and the offset
     * @throws io.reactorbpf.core.btf.BtfFormatException if its .BTF or .BTF.ext is malformed, likewise
     * @throws ObjectFormatException if it is ELF but not a BPF object this loader can read
     */
    public static ObjectSpec open(byte[] bytes, String name) {
        return read("'" + name + "'", name, bytes);
    }

    /** Reads the object, naming it as {@code shown} in the ELF and BTF readers' errors, which know only offsets. */
    private static ObjectSpec read(String shown, String name, byte[] bytes) {
        try {
            return ObjectReader.read(name, bytes);
        } catch (ElfFormatException e) {
            throw new ElfFormatException("object " + shown + ": " + e.getMessage(), e);
        } catch (io.reactorbpf.core.btf.BtfFormatException e) {
            throw new io.reactorbpf.core.btf.BtfFormatException("object " + shown + ": " + e.getMessage(), e);
        }
    }

    /**
     * The object's name, as {@link ObjectSpec#name()} gave it.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The loaded program {@code name}; throws an {@link ObjectFormatException} saying it was not loaded when its
     * autoload was off, else listing the loaded ones when absent.
     *
     * @param name the program's function name
     * @return the program, owned by this object
     * @throws ObjectFormatException when no program of that name was loaded
     */
    public BpfProgram program(String name) {
        BpfProgram p = programs.get(name);
        if (p == null) {
            throw new ObjectFormatException("object '" + this.name + "' has no loaded program '" + name + "'"
                    + (notLoaded.contains(name) ? ": its autoload was off (ProgramSpec.autoload)" : "")
                    + "; loaded: " + programs.keySet());
        }
        return p;
    }

    /**
     * The loaded programs (those with autoload on), in section order.
     *
     * @return an unmodifiable collection of programs owned by this object
     */
    public Collection<BpfProgram> programs() {
        return Collections.unmodifiableCollection(programs.values());
    }

    /**
     * The names of the object's programs that were not loaded, and so are not attached either, because their
     * {@link ProgramSpec#autoload()} was off, in section order.
     *
     * @return an unmodifiable list of program names
     */
    public List<String> notLoaded() {
        return notLoaded;
    }

    /**
     * The created map {@code name}; throws an {@link ObjectFormatException} listing the created ones when absent.
     *
     * @param name the map's name in the object, global data maps by their kernel name (e.g. "execsnoo.rodata")
     * @return the map, owned by this object (unless it was given with {@link MapSpec#reuse}): do not close it
     * @throws ObjectFormatException when no map of that name was created
     */
    public BpfMap map(String name) {
        BpfMap m = maps.get(name);
        if (m == null) {
            throw new ObjectFormatException("object '" + this.name + "' has no created map '" + name
                    + "'; created: " + maps.keySet());
        }
        return m;
    }

    /**
     * Every created map, in definition order.
     *
     * @return an unmodifiable collection of maps owned by this object
     */
    public Collection<BpfMap> maps() {
        return Collections.unmodifiableCollection(maps.values());
    }

    /**
     * The global variable {@code name}, read from and written to its map.
     *
     * @param name the variable's C name
     * @return the variable, backed by its section's map until this object is closed
     * @throws VariableException listing the known variables when there is none by that name
     */
    public GlobalVariable variable(String name) {
        return ObjectSpec.variable(variables, this.name, name);
    }

    /**
     * Every global variable, backed by its section's map.
     *
     * @return an unmodifiable collection
     */
    public Collection<GlobalVariable> variables() {
        return Collections.unmodifiableCollection(variables.values());
    }

    /**
     * Attaches every loaded program that has an auto-attach target ({@link BpfProgram#hasAutoAttachTarget()}) with
     * {@link BpfProgram#attach()} and skips the others, as libbpf's skeleton attach does; a program an earlier call
     * attached keeps its link. The object owns the links and {@link #close()} detaches them. Returns the links of
     * every program attached so far, in program order. When one program fails to attach, the links this call made
     * are closed and the failure, which names the program and section, is thrown.
     *
     * @return an unmodifiable list of the links, owned by this object: do not close them
     * @throws io.reactorbpf.core.BpfException when the object is closed
     * @throws io.reactorbpf.core.attach.AttachException naming the program and section when one fails to attach
     */
    public List<BpfLink> attachAll() {
        return attachAll(-1);
    }

    /**
     * As {@link #attachAll()}, with uprobe, uretprobe and USDT programs firing only in process {@code pid}
     * ({@link BpfProgram#attach(int)}), as a libbpf tool's {@code -p PID} limits them.
     *
     * @param pid the process the probes fire in, or -1 for every process
     * @return an unmodifiable list of the links, owned by this object: do not close them
     * @throws io.reactorbpf.core.BpfException when the object is closed
     * @throws io.reactorbpf.core.attach.AttachException naming the program and section when one fails to attach
     */
    public List<BpfLink> attachAll(int pid) {
        synchronized (links) {
            if (closed.get()) {
                throw new BpfException("object '" + name + "' is closed; load it again to attach its programs");
            }
            List<BpfLink> made = new ArrayList<>();
            try {
                for (BpfProgram p : programs.values()) {
                    if (p.hasAutoAttachTarget() && !links.containsKey(p.name())) {
                        BpfLink link = p.attach(pid);
                        made.add(link);
                        links.put(p.name(), link);
                    }
                }
            } catch (RuntimeException e) {
                for (int i = made.size() - 1; i >= 0; i--) {
                    made.get(i).close();
                }
                links.values().removeIf(BpfLink::isClosed);
                throw e;
            }
            return List.copyOf(links.values());
        }
    }

    /** Detaches the links {@link #attachAll()} made, then closes programs, maps and BTF, each once; later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (links) {
            List<BpfLink> attached = new ArrayList<>(links.values());
            for (int i = attached.size() - 1; i >= 0; i--) {
                attached.get(i).close();
            }
            links.clear();
        }
        programs.values().forEach(BpfProgram::close);
        ownedMaps.forEach(BpfMap::close);
        if (btf != null) {
            btf.close();
        }
    }
}
