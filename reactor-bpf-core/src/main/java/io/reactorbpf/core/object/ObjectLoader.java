package io.reactorbpf.core.object;

import io.reactorbpf.core.attach.AttachException;
import io.reactorbpf.core.attach.FunctionTracing;
import io.reactorbpf.core.attach.KernelBtfTarget;
import io.reactorbpf.core.attach.UnsupportedAttachException;
import io.reactorbpf.core.attach.UsdtSpecs;
import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.internal.btf.BtfSanitizer;
import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.map.LossCounter;
import io.reactorbpf.core.map.MapBtf;
import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.sys.MapCreateAttr;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.internal.sys.ProgLoadAttr;
import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.internal.sys.PseudoFs;
import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.sys.VerifierException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;

/**
 * Loads an {@link ObjectSpec}: BTF (sanitized for the running kernel), maps, CO-RE, programs. Releases whatever
 * it created when a step fails. Used once per load, on the caller's thread.
 */
final class ObjectLoader {

    /** Map types whose key and value the kernel will not type with BTF. */
    private static final Set<MapType> NO_BTF = EnumSet.of(MapType.PERF_EVENT_ARRAY, MapType.CGROUP_ARRAY,
            MapType.STACK_TRACE, MapType.ARRAY_OF_MAPS, MapType.HASH_OF_MAPS, MapType.DEVMAP, MapType.DEVMAP_HASH,
            MapType.CPUMAP, MapType.XSKMAP, MapType.SOCKMAP, MapType.SOCKHASH, MapType.REUSEPORT_SOCKARRAY,
            MapType.RINGBUF, MapType.USER_RINGBUF, MapType.PROG_ARRAY);

    private final ObjectSpec spec;
    private final Function<MapCreateAttr, FileDescriptor> mapCreate;
    private final List<AutoCloseable> created = new ArrayList<>();
    private final Map<String, BpfMap> maps = new LinkedHashMap<>();
    private final List<BpfMap> ownedMaps = new ArrayList<>();
    /** The maps this load created, not reused or found pinned: only their writers are all known. */
    private final Set<BpfMap> createdMaps = new HashSet<>();
    private FileDescriptor btf;
    /** The spec table over the object's __bpf_usdt_specs map, once maps exist; null when it has none. */
    private UsdtSpecs usdtSpecs;
    /** Resolves the __ksym externs while programs are linked; holds module BTF descriptors until they are loaded. */
    private KsymResolver ksyms;

    private ObjectLoader(ObjectSpec spec, Function<MapCreateAttr, FileDescriptor> mapCreate) {
        this.spec = spec;
        this.mapCreate = mapCreate;
    }

    static BpfObject load(ObjectSpec spec) {
        return load(spec, Bpf::mapCreate);
    }

    /** Loads {@code spec}, making every BPF_MAP_CREATE through {@code mapCreate} (tests count them). */
    static BpfObject load(ObjectSpec spec, Function<MapCreateAttr, FileDescriptor> mapCreate) {
        ObjectLoader loader = new ObjectLoader(spec, mapCreate);
        try {
            return loader.load();
        } catch (RuntimeException | Error e) {
            for (int i = loader.created.size() - 1; i >= 0; i--) {
                try {
                    loader.created.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private BpfObject load() {
        spec.fillKconfig();
        MapSizes.checkCreatable(spec);
        MapMemoryLimit.check(spec, spec.mapMemoryLimit());
        btf = loadBtf();
        Map<Integer, byte[]> code = new LinkedHashMap<>();
        spec.code().forEach((index, section) -> code.put(index, section.insns().clone()));
        CoreRelocations core = CoreRelocations.apply(spec, code);
        createMaps();
        Map<String, Integer> mapFds = new LinkedHashMap<>();
        maps.forEach((name, map) -> mapFds.put(name, map.fd().fd()));
        ksyms = KsymResolver.running(spec);
        created.add(ksyms);
        ProgramLinker linker = new ProgramLinker(spec.code(), code, mapFds, btf == null ? null : spec.ext(), ksyms);
        Map<ProgramSpec, LinkedProgram> linked = new LinkedHashMap<>();
        List<String> notLoaded = new ArrayList<>();
        for (ProgramSpec p : spec.programs()) {
            if (p.autoload()) {
                linked.put(p, linker.link(p));
            } else {
                notLoaded.add(p.name());
            }
        }
        Map<ProgramSpec, RingBufLossCounting.Rewritten> counted = spec.countsRingBufLosses()
                ? countRingBufLosses(linked) : Map.of();
        BpfMap usdtMap = maps.get(UsdtSpecs.MAP);
        usdtSpecs = usdtMap == null ? null : UsdtSpecs.of(usdtMap, maps.get(UsdtSpecs.IP_MAP));
        Map<String, BpfProgram> programs = new LinkedHashMap<>();
        for (Map.Entry<ProgramSpec, LinkedProgram> e : linked.entrySet()) {
            ProgramSpec p = e.getKey();
            RingBufLossCounting.Rewritten r = counted.get(p);
            BpfProgram loaded = r == null ? loadProgram(p, e.getValue(), e.getValue(), IntUnaryOperator.identity(), core)
                    : loadProgram(p, r.program(), e.getValue(), r::linked, core);
            created.add(loaded::close);
            programs.put(p.name(), loaded);
        }
        Map<String, GlobalVariable> variables = new LinkedHashMap<>();
        for (GlobalVariable v : spec.variables()) {
            String mapName = ObjectReader.internalMapName(spec.name(), v.section());
            BpfMap map = maps.get(mapName);
            if (map != null) {
                variables.put(v.name(), v.withStorage(new MapStorage(map, spec.map(mapName).frozen())));
            }
        }
        ksyms.close();
        return new BpfObject(spec.name(), programs, List.copyOf(notLoaded), maps, ownedMaps, variables, btf);
    }

    /** The object's BTF, sanitized for this kernel; null when it has none or the kernel refuses it (then maps and programs load without BTF). */
    private FileDescriptor loadBtf() {
        Btf objectBtf = spec.btf().orElse(null);
        if (objectBtf == null) {
            return null;
        }
        try {
            Btf marked = HiddenFunctions.markStatic(objectBtf, spec.code().values());
            FileDescriptor fd = Bpf.btfLoad(BtfSanitizer.sanitize(marked, KernelBtfFeatures.missing()).toBytes());
            created.add(fd);
            return fd;
        } catch (VerifierException e) {
            return null;
        }
    }

    private void createMaps() {
        List<Map.Entry<BpfMap, Path>> toPin = new ArrayList<>();
        for (MapSpec m : spec.maps()) {
            if (!m.autocreate()) {
                continue;
            }
            if (m.reused() != null) {
                maps.put(m.name(), m.reused());
                continue;
            }
            Path pin = m.pinPath() != null ? m.pinPath()
                    : m.pinnedByName() ? PseudoFs.BPFFS.mountPoint().resolve(m.name()) : null;
            if (pin != null && Files.exists(pin)) {
                own(m, pinned(m, pin));
                continue;
            }
            BpfMap map = own(m, create(m));
            createdMaps.add(map);
            if (m.contents() != null) {
                map.update(new byte[4], m.contents());
                if (m.frozen()) {
                    map.freeze();
                }
            }
            if (pin != null) {
                toPin.add(Map.entry(map, pin));
            }
        }
        for (MapSpec m : spec.maps()) {
            BpfMap outer = maps.get(m.name());
            if (outer == null) {
                continue;
            }
            for (Map.Entry<Integer, String> slot : m.initialSlots().entrySet()) {
                BpfMap inner = maps.get(slot.getValue());
                if (inner == null) {
                    throw new ObjectFormatException("map '" + m.name() + "' slot " + slot.getKey() + " holds map '"
                            + slot.getValue() + "', which was not created");
                }
                outer.update(intBytes(slot.getKey()), intBytes(inner.fd().fd()));
            }
        }
        toPin.forEach(e -> e.getKey().pin(e.getValue()));
    }

    private BpfMap own(MapSpec m, BpfMap map) {
        created.add(map);
        ownedMaps.add(map);
        maps.put(m.name(), map);
        Btf objectBtf = spec.btf().orElse(null);
        if (objectBtf != null && m.btfValueTypeId() != 0 && !NO_BTF.contains(m.type())) {
            // the object's own BTF, not the copy sanitized for the kernel: it keeps every type as written
            MapBtf types = new MapBtf(objectBtf, m.btfKeyTypeId(), m.btfValueTypeId());
            if (types.fits(map.keySize(), map.valueSize())) {
                map.typedBy(types);
            }
        }
        return map;
    }

    /** A map already pinned at {@code pin}, reused when its shape matches the definition. */
    private static BpfMap pinned(MapSpec m, Path pin) {
        BpfMap map = BpfMap.openPinned(pin);
        if (map.type() != m.type() || map.keySize() != m.keySize() || map.valueSize() != m.valueSize()
                || map.maxEntries() != maxEntries(m) || map.flags() != m.flags()) {
            map.close();
            throw new ObjectFormatException("map '" + m.name() + "' is pinned at " + pin + " as " + map
                    + " flags 0x" + Integer.toHexString(map.flags()) + ", which does not match the object's definition "
                    + m + "; remove the pin or change the definition");
        }
        return map;
    }

    private BpfMap create(MapSpec m) {
        FileDescriptor inner = m.inner() == null ? null : mapCreate.apply(attr(m.inner()));
        try {
            MapCreateAttr attr = attr(m).withExtras(inner == null ? 0 : inner.fd(), m.numaNode(), m.mapExtra());
            if (btf != null && m.btfValueTypeId() != 0 && !NO_BTF.contains(m.type())) {
                try {
                    return BpfMap.of(mapCreate.apply(attr.withBtf(btf.fd(), m.btfKeyTypeId(), m.btfValueTypeId())), m.name());
                } catch (SyscallException e) {
                    if (e.errno() == Errno.EPERM) {
                        throw e;
                    }
                    // older kernels refuse BTF for some key or value types: the map works the same without it
                }
            }
            return BpfMap.of(mapCreate.apply(attr), m.name());
        } catch (SyscallException e) {
            if (m.type() == MapType.RINGBUF && (m.flags() & RingBufOverwrite.FLAG) != 0 && e.errno() == Errno.EINVAL
                    && !RingBufOverwrite.supported()) {
                throw RingBufOverwrite.refusal(m, e);
            }
            throw e;
        } finally {
            if (inner != null) {
                inner.close();
            }
        }
    }

    private static MapCreateAttr attr(MapSpec m) {
        return MapCreateAttr.of(m.type(), m.name(), m.keySize(), m.valueSize(), maxEntries(m)).withFlags(m.flags());
    }

    /** max_entries as the kernel needs it: one perf ring slot per possible CPU, ring buffers a power-of-two page multiple. */
    static int maxEntries(MapSpec m) {
        if (m.type() == MapType.PERF_EVENT_ARRAY && m.maxEntries() == 0) {
            return CpuSet.possible().span();
        }
        if (m.type() == MapType.RINGBUF || m.type() == MapType.USER_RINGBUF) {
            long size = Math.max(Kernel.pageSize(), Integer.toUnsignedLong(m.maxEntries()));
            return (int) Math.min(1L << 30, Long.highestOneBit(size - 1) << 1);
        }
        return m.maxEntries();
    }

    /**
     * Adds ring buffer loss counting to the programs (see {@link ObjectSpec#countRingBufLosses}) and ties each
     * counted ring buffer to its counter; returns the rewritten programs, or none when the object's ring buffer
     * calls cannot all be attributed to ring buffers this load created.
     */
    private Map<ProgramSpec, RingBufLossCounting.Rewritten> countRingBufLosses(Map<ProgramSpec, LinkedProgram> linked) {
        Map<Integer, BpfMap> rings = new LinkedHashMap<>();
        for (BpfMap m : maps.values()) {
            if (m.type() == MapType.RINGBUF) {
                rings.put(m.fd().fd(), m);
            }
        }
        Map<ProgramSpec, List<RingBufLossCounting.Site>> sites = new LinkedHashMap<>();
        for (Map.Entry<ProgramSpec, LinkedProgram> e : linked.entrySet()) {
            Optional<List<RingBufLossCounting.Site>> found = RingBufLossCounting.sites(e.getValue());
            if (found.isEmpty() || found.get().stream().anyMatch(site -> !createdMaps.contains(rings.get(site.mapFd())))) {
                return Map.of();  // a call to an unknown, reused or pinned ring: a count would miss losses
            }
            if (!found.get().isEmpty()) {
                sites.put(e.getKey(), found.get());
            }
        }
        if (sites.isEmpty()) {
            return Map.of();
        }
        Map<Integer, Integer> slotOf = new LinkedHashMap<>();
        sites.values().forEach(list -> list.forEach(site -> slotOf.putIfAbsent(site.mapFd(), slotOf.size())));
        String name = ObjectReader.internalMapName(spec.name(), RingBufLossCounting.SECTION);
        BpfMap losses = BpfMap.create(MapCreateAttr.of(MapType.ARRAY, name, 4, 8 * slotOf.size(), 1)
                .withFlags(MapSpec.F_MMAPABLE));
        created.add(losses);
        ownedMaps.add(losses);
        maps.put(name, losses);
        slotOf.forEach((fd, slot) -> rings.get(fd).countLossesIn(new LossCounter(losses, 8 * slot)));
        Map<ProgramSpec, RingBufLossCounting.Rewritten> rewritten = new LinkedHashMap<>();
        sites.forEach((p, list) -> rewritten.put(p, RingBufLossCounting.rewrite(p.name(), linked.get(p), list,
                losses.fd().fd(), slotOf)));
        return rewritten;
    }

    /**
     * Loads {@code linked}; {@code toOriginal} maps its instruction indexes to those of {@code original}, the
     * program as linked, which a verifier log's CO-RE explanation refers to.
     */
    private BpfProgram loadProgram(ProgramSpec p, LinkedProgram linked, LinkedProgram original,
                                   IntUnaryOperator toOriginal, CoreRelocations core) {
        ProgLoadAttr attr = ProgLoadAttr.of(p.type(), linked.insns()).name(p.name()).license(spec.license())
                .kernVersion(spec.kernVersion()).progFlags(p.section().progFlags());
        if (p.expectedAttachType() != null) {
            attr.expectedAttachType(p.expectedAttachType().value());
        }
        if (btf != null && linked.funcInfo() != null) {
            attr.btf(btf.fd(), linked.funcInfo(), linked.funcInfoRecSize(), linked.lineInfo(), linked.lineInfoRecSize());
        }
        int[] fdArray = ksyms.fdArray();
        if (fdArray != null) {
            attr.fdArray(fdArray);
        }
        KernelBtfTarget kernelTarget = p.type() == ProgType.TRACING ? kernelBtfTarget(p) : null;
        if (kernelTarget != null) {
            attr.attachBtf(kernelTarget.btfId(), 0);
        }
        try {
            return new BpfProgram(p.name(), p.section(), p.type(), p.attachKind(), p.attachTarget(), kernelTarget,
                    Bpf.progLoad(attr), usdtSpecs);
        } catch (SyscallException e) {
            Optional<String> refusal = e.errno() == Errno.EPERM
                    && FunctionTracing.usesTrampoline(p.type(), p.expectedAttachType()) ? FunctionTracing.refusal() : Optional.empty();
            if (refusal.isPresent()) {
                throw new UnsupportedAttachException("program '" + p.name() + "' in section '" + p.section().name()
                        + "' cannot load: " + refusal.get(), e);
            }
            if (e instanceof VerifierException v) {
                throw new ProgramLoadException(p.name(), p.section().name(), core.explain(p, original, v.log(), toOriginal), v);
            }
            throw e;
        }
    }

    /** The kernel BTF type a tracing program is loaded against, resolved in vmlinux BTF from its attach type and target. */
    private static KernelBtfTarget kernelBtfTarget(ProgramSpec p) {
        if (p.expectedAttachType() == null || p.attachTarget().isEmpty()) {
            throw new ObjectFormatException("program '" + p.name() + "' in section '" + p.section().name()
                    + "' is a tracing program without " + (p.expectedAttachType() == null ? "an expected attach type"
                    : "a target") + "; write SEC(\"tp_btf/TRACEPOINT\") or SEC(\"fentry/FUNCTION\") (fexit, fmod_ret), "
                    + "or set ProgramSpec.expectedAttachType and attachTarget before load");
        }
        try {
            return KernelBtfTarget.resolve(p.expectedAttachType(), p.attachTarget());
        } catch (AttachException e) {
            throw SectionAttach.naming(p.name(), p.section().name(), e);
        }
    }

    private static byte[] intBytes(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    /** A global data section read from and written to its one-entry map. */
    private record MapStorage(BpfMap map, boolean frozen) implements GlobalVariable.Storage {
        public byte[] read() {
            return map.lookup(new byte[4]).orElseThrow(() -> new ObjectFormatException(
                    "global data map '" + map.name() + "' has no entry 0"));
        }

        public void write(byte[] section) {
            map.update(new byte[4], section);
        }
    }
}
