package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.internal.btf.BtfExt;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.internal.elf.ElfFile;
import io.reactorbpf.core.internal.elf.ElfRelocation;
import io.reactorbpf.core.internal.elf.ElfRelocations;
import io.reactorbpf.core.internal.elf.ElfSection;
import io.reactorbpf.core.internal.elf.ElfSymbol;
import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.sys.MapType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/** Turns a parsed ELF object into an {@link ObjectSpec}: programs, subprograms, maps, global data. Used once per open. */
final class ObjectReader {

    private static final int LD_IMM64 = 0x18;
    private static final int CALL = 0x85;
    private static final int PSEUDO_CALL = 1;
    private static final int PSEUDO_FUNC = 4;
    private static final int LEGACY_MAP_DEF = 20;

    private final String objectName;
    private final ElfFile elf;
    private final Btf btf;
    private final Map<String, MapSpec> maps = new LinkedHashMap<>();
    private final Map<String, GlobalVariable> variables = new LinkedHashMap<>();
    /** Per map-definition section index: symbol value to map name. */
    private final Map<Integer, Map<Long, String>> mapSymbols = new HashMap<>();
    /** Per global data section index: its map's name. */
    private final Map<Integer, String> dataMaps = new HashMap<>();
    /** The .kconfig map's name and each extern's offset in it; empty without kconfig externs. */
    private String kconfigMap;
    private Map<String, Integer> kconfigOffsets = Map.of();
    private KconfigSection kconfigSection;
    /** The __ksym externs by name; empty without any. */
    private Map<String, KsymExtern> ksyms = Map.of();

    private ObjectReader(String objectName, ElfFile elf, Btf btf) {
        this.objectName = objectName;
        this.elf = elf;
        this.btf = btf;
    }

    static ObjectSpec read(String objectName, byte[] bytes) {
        ElfFile elf = ElfFile.parse(bytes);
        Btf parsed = elf.section(".BTF").map(s -> DatasecLayout.fix(Btf.parse(s.data()), elf, objectName)).orElse(null);
        Map<String, KsymExtern> ksyms = parsed == null ? Map.of() : KsymExterns.externs(parsed, weakExterns(elf));
        Btf btf = parsed == null ? null : KsymExterns.layout(KconfigExterns.layout(parsed));
        BtfExt ext = btf == null ? null : elf.section(".BTF.ext").map(s -> BtfExt.parse(s.data(), btf)).orElse(null);
        ObjectReader reader = new ObjectReader(objectName, elf, btf);
        reader.ksyms = ksyms;
        return reader.spec(ext);
    }

    /** The names of the undefined symbols bound WEAK: the externs declared {@code __weak}. */
    private static Set<String> weakExterns(ElfFile elf) {
        Set<String> weak = new HashSet<>();
        for (ElfSymbol sym : elf.symbols()) {
            if (!sym.isDefined() && sym.binding() == ElfSymbol.Binding.WEAK) {
                weak.add(sym.name());
            }
        }
        return weak;
    }

    private ObjectSpec spec(BtfExt ext) {
        btfMaps();
        legacyMaps();
        for (MapSpec m : maps.values()) {
            StackTraceDefaults.apply(m);
            if (m.inner() != null) {
                StackTraceDefaults.apply(m.inner());
            }
        }
        globalData();
        kconfig();
        Map<Integer, CodeSection> code = new LinkedHashMap<>();
        for (ElfSection s : elf.sections()) {
            if (s.type() == ElfSection.SHT_PROGBITS && s.isExecutable() && s.size() > 0) {
                code.put(s.index(), codeSection(s));
            }
        }
        Map<String, ProgramSpec> programs = new LinkedHashMap<>();
        for (CodeSection cs : code.values()) {
            checkCallTargets(cs, code);
            if (cs.name().equals(".text")) {
                continue;
            }
            for (CodeFunction f : cs.functions()) {
                ProgramSection section = ProgramSection.parse(cs.name(), f.name());
                programs.put(f.name(), new ProgramSpec(f.name(), section, f));
            }
        }
        return new ObjectSpec(objectName, programs, maps, variables, code, license(), version(), btf, ext, ksyms,
                kconfigSection);
    }

    private String license() {
        return elf.section("license").map(s -> cString(bytes(s))).orElse("");
    }

    private int version() {
        return elf.section("version").filter(s -> s.size() >= 4).map(s -> s.data().getInt(0))
                .orElseGet(Kernel::versionCode);
    }

    private void btfMaps() {
        ElfSection section = elf.section(".maps").orElse(null);
        if (section == null) {
            return;
        }
        OptionalInt datasec = BtfMapDefinitions.datasec(btf, ".maps");
        if (datasec.isEmpty()) {
            throw malformed(".maps", "has no BTF description (no DATASEC '.maps' in .BTF); "
                    + "compile with clang -g so BTF-defined maps can be read");
        }
        Map<String, ElfSymbol> symbols = symbolsIn(section);
        Map<Long, String> byValue = new HashMap<>();
        Map<String, BtfMapDefinitions.Definition> defs = new HashMap<>();
        for (BtfType.VarSecinfo v : ((BtfType.Datasec) btf.type(datasec.getAsInt())).vars()) {
            BtfType.Var var = variable(".maps", v);
            BtfMapDefinitions.Definition def = BtfMapDefinitions.read(btf, var.name(), var.type(), ".maps",
                    "object '" + objectName + "' section '.maps'");
            MapSpec spec = def.spec();
            if (def.pinByName()) {
                spec.pinByName();
            }
            maps.put(var.name(), spec);
            defs.put(var.name(), def);
            ElfSymbol sym = symbols.get(var.name());
            byValue.put(sym == null ? (long) v.offset() : sym.value(), var.name());
        }
        mapSymbols.put(section.index(), byValue);
        elf.relocationsFor(section).ifPresent(r -> initialSlots(r, symbols, defs));
    }

    /** .rel.maps: {@code .values = { [i] = &inner }} in a map-in-map definition. */
    private void initialSlots(ElfRelocations relocations, Map<String, ElfSymbol> symbols,
                              Map<String, BtfMapDefinitions.Definition> defs) {
        for (ElfRelocation r : relocations.entries()) {
            ElfSymbol target = elf.symbol(r.symbolIndex());
            String outer = null;
            for (Map.Entry<String, ElfSymbol> e : symbols.entrySet()) {
                if (within(r.offset(), e.getValue().value(), e.getValue().size())) {
                    outer = e.getKey();
                }
            }
            BtfMapDefinitions.Definition def = outer == null ? null : defs.get(outer);
            long into = def == null ? -1 : r.offset() - symbols.get(outer).value() - def.valuesOffset();
            if (def == null || def.valuesOffset() < 0 || into < 0 || into % 8 != 0
                    || into / 8 >= Integer.toUnsignedLong(def.spec().maxEntries())) {
                throw malformed(".maps", "relocation at offset 0x" + Long.toHexString(r.offset()) + " refers to '"
                        + target.name() + "' outside any map's .values initializer");
            }
            def.spec().slot((int) (into / 8), target.name());
        }
    }

    /** The pre-BTF {@code struct bpf_map_def} in section "maps": five u32 per map. */
    private void legacyMaps() {
        ElfSection section = elf.section("maps").orElse(null);
        if (section == null) {
            return;
        }
        ByteBuffer data = section.data();
        Map<Long, String> byValue = new HashMap<>();
        for (ElfSymbol sym : symbolsIn(section).values()) {
            if (!fits(sym.value(), LEGACY_MAP_DEF, data.limit())) {
                throw malformed("maps", "legacy map '" + sym.name() + "' at offset " + sym.value()
                        + " does not hold a 20-byte struct bpf_map_def in the section's " + data.limit() + " bytes of data");
            }
            int at = (int) sym.value();
            MapType type = MapType.of(data.getInt(at));
            if (type == null || type == MapType.UNSPEC) {
                throw malformed("maps", "legacy map '" + sym.name() + "' has unknown type " + data.getInt(at));
            }
            maps.put(sym.name(), new MapSpec(sym.name(), "maps", type, data.getInt(at + 4), data.getInt(at + 8),
                    data.getInt(at + 12), data.getInt(at + 16), null, false));
            byValue.put(sym.value(), sym.name());
        }
        mapSymbols.put(section.index(), byValue);
    }

    /** .data, .rodata, .bss and their ".name" variants become one-entry ARRAY maps. */
    private void globalData() {
        for (ElfSection s : elf.sections()) {
            String n = s.name();
            boolean rodata = n.equals(".rodata") || n.startsWith(".rodata.");
            boolean data = n.equals(".data") || n.startsWith(".data.") || n.equals(".bss") || n.startsWith(".bss.");
            if (!(rodata || data) || s.size() == 0 || !s.isAllocated()) {
                continue;
            }
            GlobalDataLimit.check(objectName, s);
            byte[] contents = s.hasNoData() ? new byte[(int) s.size()] : bytes(s);
            String mapName = internalMapName(objectName, n);
            int flags = MapSpec.F_MMAPABLE | (rodata ? MapSpec.F_RDONLY_PROG : 0);
            MapSpec spec = new MapSpec(mapName, n, MapType.ARRAY, 4, contents.length, 1, flags, contents, rodata);
            OptionalInt datasec = BtfMapDefinitions.datasec(btf, n);
            datasec.ifPresent(id -> spec.btfTypes(0, id));
            maps.put(mapName, spec);
            dataMaps.put(s.index(), mapName);
            GlobalVariable.Storage storage = new GlobalVariable.Storage() {
                public byte[] read() {
                    return contents.clone();
                }

                public void write(byte[] section) {
                    System.arraycopy(section, 0, contents, 0, contents.length);
                }
            };
            if (datasec.isPresent()) {
                for (BtfType.VarSecinfo v : ((BtfType.Datasec) btf.type(datasec.getAsInt())).vars()) {
                    BtfType.Var var = variable(n, v);
                    variables.put(var.name(), new GlobalVariable(var.name(), n, v.offset(), v.size(), btf, var.type(), storage));
                }
            } else {
                for (ElfSymbol sym : symbolsIn(s).values()) {
                    if (!fits(sym.value(), sym.size(), contents.length)) {
                        throw malformed(n, "variable '" + sym.name() + "' at offset " + sym.value() + " size "
                                + sym.size() + " lies outside the section's " + contents.length + " bytes");
                    }
                    variables.put(sym.name(), new GlobalVariable(sym.name(), n, (int) sym.value(), (int) sym.size(), null, 0, storage));
                }
            }
        }
    }

    /**
     * The __kconfig externs become the frozen, read-only .kconfig map, holding the running kernel's values (see
     * {@link KconfigSection}).
     */
    private void kconfig() {
        OptionalInt datasec = KconfigExterns.datasec(btf);
        if (datasec.isEmpty()) {
            return;
        }
        int size = ((BtfType.Datasec) btf.type(datasec.getAsInt())).size();
        kconfigMap = internalMapName(objectName, KconfigExterns.SECTION);
        MapSpec spec = new MapSpec(kconfigMap, KconfigExterns.SECTION, MapType.ARRAY, 4, Math.max(8, size), 1,
                MapSpec.F_MMAPABLE | MapSpec.F_RDONLY_PROG, new byte[Math.max(8, size)], true);
        spec.btfTypes(0, datasec.getAsInt());
        maps.put(kconfigMap, spec);
        kconfigOffsets = KconfigExterns.offsets(btf, datasec.getAsInt());
        kconfigSection = new KconfigSection(kconfigMap, btf, datasec.getAsInt(), weakExterns(elf));
        kconfigSection.preview(spec.contents(), Map.of());
    }

    /** libbpf's naming: as much of the object name as fits before the section name in 15 bytes. */
    static String internalMapName(String objectName, String section) {
        int prefix = Math.max(0, Math.min(15 - Math.max(7, section.length()), objectName.length()));
        String name = objectName.substring(0, prefix) + section;
        return name.length() > 15 ? name.substring(0, 15) : name;
    }

    private CodeSection codeSection(ElfSection s) {
        byte[] insns = bytes(s);
        List<CodeFunction> functions = new ArrayList<>();
        for (ElfSymbol sym : elf.symbols()) {
            if (sym.sectionIndex() != s.index() || sym.type() != ElfSymbol.Type.FUNC) {
                continue;
            }
            if (sym.value() % 8 != 0 || sym.size() % 8 != 0 || sym.size() <= 0 || !fits(sym.value(), sym.size(), insns.length)) {
                throw malformed(s.name(), "function '" + sym.name() + "' at offset " + sym.value() + " size "
                        + sym.size() + " does not lie on instruction boundaries of the section's " + insns.length + " bytes");
            }
            if (!s.name().equals(".text") && sym.binding() == ElfSymbol.Binding.LOCAL) {
                throw new ObjectFormatException("program '" + sym.name() + "' in section '" + s.name()
                        + "' is static; programs must be global functions (remove 'static')");
            }
            boolean hidden = sym.binding() != ElfSymbol.Binding.LOCAL
                    && (sym.visibility() == ElfSymbol.Visibility.HIDDEN || sym.visibility() == ElfSymbol.Visibility.INTERNAL);
            functions.add(new CodeFunction(sym.name(), s.index(), s.name(), (int) sym.value(), (int) sym.size(), hidden));
        }
        functions.sort(Comparator.comparingInt(CodeFunction::offset));
        List<CodeReference> refs = new ArrayList<>();
        Set<Integer> relocated = new HashSet<>();
        ElfRelocations relocations = elf.relocationsFor(s).orElse(null);
        if (relocations != null) {
            List<ElfRelocation> entries = relocations.entries();
            for (int i = 0; i < entries.size(); i++) {
                ElfRelocation r = entries.get(i);
                if (r.offset() % 8 != 0 || !fits(r.offset(), 8, insns.length)) {
                    throw malformed(relocations.section().name(), "entry " + i + ": relocation offset 0x"
                            + Long.toHexString(r.offset()) + " is not an instruction of section '" + s.name() + "' ("
                            + insns.length + " bytes)");
                }
                refs.add(reference(s, insns, functions, r));
                relocated.add((int) r.offset());
            }
        }
        for (int at = 0; at + 8 <= insns.length; at += 8) {
            int opcode = insns[at] & 0xff;
            int src = (insns[at + 1] >> 4) & 0xf;
            if (!relocated.contains(at)) {
                if (opcode == CALL && src == PSEUDO_CALL) {
                    refs.add(CodeReference.code(CodeReference.Kind.CALL, at, s.index(), at / 8 + imm(insns, at) + 1));
                } else if (opcode == LD_IMM64 && src == PSEUDO_FUNC) {
                    refs.add(CodeReference.code(CodeReference.Kind.FUNC_ADDR, at, s.index(), at / 8 + imm(insns, at) + 1));
                }
            }
            if (opcode == LD_IMM64) {
                at += 8;
            }
        }
        refs.sort(Comparator.comparingInt(CodeReference::offset));
        return new CodeSection(s.index(), s.name(), insns, List.copyOf(functions), List.copyOf(refs));
    }

    private CodeReference reference(ElfSection s, byte[] insns, List<CodeFunction> functions, ElfRelocation r) {
        int at = (int) r.offset();
        String fn = functions.stream().filter(f -> f.contains(at)).map(CodeFunction::name).findFirst().orElse(s.name());
        int insn = at / 8;
        ElfSymbol sym = elf.symbol(r.symbolIndex());
        int opcode = insns[at] & 0xff;
        if (!sym.isDefined()) {
            Integer kconfig = kconfigOffsets.get(sym.name());
            if (kconfig != null && opcode == LD_IMM64) {
                return CodeReference.data(at, kconfigMap, kconfig + imm(insns, at));
            }
            KsymExtern ksym = ksyms.get(sym.name());
            if (ksym != null && opcode == LD_IMM64) {
                return CodeReference.extern(CodeReference.Kind.KSYM, at, ksym.name());
            }
            if (ksym != null && ksym.function() && opcode == CALL) {
                return CodeReference.extern(CodeReference.Kind.KFUNC_CALL, at, ksym.name());
            }
            throw new RelocationException(fn, insn, "refers to symbol '" + sym.name() + "', which this object does not"
                    + " define; of externs only __kconfig and __ksym ones are resolved (an extern without either, an"
                    + " extern map or a function of another object is not supported)");
        }
        ElfSection target = elf.section(sym.sectionIndex());
        long addend = imm(insns, at);
        if (mapSymbols.containsKey(target.index())) {
            String map = mapSymbols.get(target.index()).get(sym.value() + (sym.type() == ElfSymbol.Type.SECTION ? addend : 0));
            if (map == null || opcode != LD_IMM64) {
                throw new RelocationException(fn, insn, "refers to '" + sym.name() + "' in section '" + target.name()
                        + "', which is not a map definition this object has");
            }
            return CodeReference.map(at, map);
        }
        if (dataMaps.containsKey(target.index())) {
            if (opcode != LD_IMM64) {
                throw new RelocationException(fn, insn, "refers to global data '" + sym.name() + "' from an instruction "
                        + "that is not a 64-bit load (opcode 0x" + Integer.toHexString(opcode) + ")");
            }
            return CodeReference.data(at, dataMaps.get(target.index()), sym.value() + addend);
        }
        if (target.isExecutable()) {
            if (opcode == CALL) {
                return CodeReference.code(CodeReference.Kind.CALL, at, target.index(),
                        targetInsn(fn, insn, sym, sym.value() / 8 + addend + 1));
            }
            if (opcode == LD_IMM64) {
                return CodeReference.code(CodeReference.Kind.FUNC_ADDR, at, target.index(),
                        targetInsn(fn, insn, sym, (sym.value() + addend) / 8));
            }
        }
        throw new RelocationException(fn, insn, "refers to symbol '" + sym.name() + "' in section '" + target.name()
                + "', which is neither a map, global data nor code");
    }

    private static void checkCallTargets(CodeSection cs, Map<Integer, CodeSection> code) {
        for (CodeReference r : cs.references()) {
            if (r.kind() != CodeReference.Kind.CALL && r.kind() != CodeReference.Kind.FUNC_ADDR) {
                continue;
            }
            CodeSection target = code.get(r.targetSection());
            if (target == null || target.functionAt(r.targetInsn()) == null) {
                CodeFunction from = cs.functionContaining(r.offset());
                throw new RelocationException(from == null ? cs.name() : from.name(), r.offset() / 8,
                        "calls instruction " + r.targetInsn() + " of section '"
                                + (target == null ? r.targetSection() : target.name()) + "', where no function starts");
            }
        }
    }

    /** An instruction index a call or function address reaches; one outside int range reaches no function. */
    private static int targetInsn(String fn, int insn, ElfSymbol sym, long target) {
        if (target < 0 || target > Integer.MAX_VALUE) {
            throw new RelocationException(fn, insn, "refers to instruction " + target + " through symbol '" + sym.name()
                    + "', which no section has");
        }
        return (int) target;
    }

    /** The VAR a DATASEC entry of {@code section} names; any other kind there is a malformed object. */
    private BtfType.Var variable(String section, BtfType.VarSecinfo v) {
        BtfType t = btf.type(v.type());
        if (!(t instanceof BtfType.Var var)) {
            throw malformed(section, "DATASEC entry at offset " + v.offset() + " is type [" + v.type() + "] " + t.kind()
                    + " '" + t.name() + "', not a VAR; the object's BTF is damaged (rebuild it with clang -g)");
        }
        return var;
    }

    private ObjectFormatException malformed(String section, String what) {
        return new ObjectFormatException("object '" + objectName + "' section '" + section + "': " + what);
    }

    /** Whether {@code [offset, offset + size)} lies in {@code [0, length)}, computed without overflow. */
    static boolean fits(long offset, long size, long length) {
        return offset >= 0 && size >= 0 && offset <= length && size <= length - offset;
    }

    /** Whether {@code at} lies in {@code [start, start + size)}, computed without overflow. */
    private static boolean within(long at, long start, long size) {
        return start >= 0 && size > 0 && at >= start && at - start < size;
    }

    private Map<String, ElfSymbol> symbolsIn(ElfSection section) {
        Map<String, ElfSymbol> out = new LinkedHashMap<>();
        for (ElfSymbol sym : elf.symbols()) {
            if (sym.sectionIndex() == section.index() && !sym.name().isEmpty()
                    && (sym.type() == ElfSymbol.Type.OBJECT || sym.type() == ElfSymbol.Type.NOTYPE)) {
                out.put(sym.name(), sym);
            }
        }
        return out;
    }

    private static int imm(byte[] insns, int at) {
        return ByteBuffer.wrap(insns, at + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static byte[] bytes(ElfSection s) {
        ByteBuffer b = s.data();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
