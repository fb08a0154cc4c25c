package io.reactorbpf.core.object;

import io.reactorbpf.core.internal.btf.BtfExt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out one program: its entry function first, then each subprogram it calls or takes the address of
 * (transitively), once each, the way libbpf appends them; then patches every call and callback address to its
 * new relative offset, every map reference to the map's descriptor (PSEUDO_MAP_FD), every global data reference
 * to its map and offset (PSEUDO_MAP_VALUE), every {@code __ksym} extern to what it resolves to on this kernel (a
 * BTF id, PSEUDO_BTF_ID, or an address; a kfunc call to PSEUDO_KFUNC_CALL), and re-indexes func_info and
 * line_info. Used once per program load.
 */
final class ProgramLinker {

    private static final int PSEUDO_MAP_FD = 1;
    private static final int PSEUDO_MAP_VALUE = 2;
    private static final int PSEUDO_BTF_ID = 3;
    private static final int PSEUDO_FUNC = 4;
    private static final int PSEUDO_KFUNC_CALL = 2;
    /** The helper id a call of a missing weak kfunc becomes: no helper has it, so the verifier refuses it if reached. */
    static final int POISONED_KFUNC = 2002000000;

    private final Map<Integer, CodeSection> code;
    private final Map<Integer, byte[]> relocatedCode;
    private final Map<String, Integer> mapFds;
    private final BtfExt ext;
    private final KsymResolver ksyms;

    /**
     * @param relocatedCode section bytes after CO-RE relocation, by section index
     * @param mapFds        the descriptors of the created maps by name; a map that is absent was not created
     * @param ksyms         resolves the __ksym externs the programs use
     */
    ProgramLinker(Map<Integer, CodeSection> code, Map<Integer, byte[]> relocatedCode, Map<String, Integer> mapFds,
                  BtfExt ext, KsymResolver ksyms) {
        this.code = code;
        this.relocatedCode = relocatedCode;
        this.mapFds = mapFds;
        this.ext = ext;
        this.ksyms = ksyms;
    }

    LinkedProgram link(ProgramSpec program) {
        List<LinkedProgram.Placed> layout = new ArrayList<>();
        Map<CodeFunction, Integer> starts = new HashMap<>();
        layout.add(new LinkedProgram.Placed(program.entry(), 0));
        starts.put(program.entry(), 0);
        int total = program.entry().size() / 8;
        for (int i = 0; i < layout.size(); i++) {
            CodeFunction f = layout.get(i).function();
            for (CodeReference r : referencesIn(f)) {
                if (r.targetSection() < 0) {
                    continue;
                }
                CodeFunction callee = code.get(r.targetSection()).functionAt(r.targetInsn());
                if (!starts.containsKey(callee)) {
                    starts.put(callee, total);
                    layout.add(new LinkedProgram.Placed(callee, total));
                    total += callee.size() / 8;
                }
            }
        }
        ByteBuffer out = ByteBuffer.allocate(total * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (LinkedProgram.Placed p : layout) {
            CodeFunction f = p.function();
            out.put(p.start() * 8, relocatedCode.get(f.sectionIndex()), f.offset(), f.size());
            for (CodeReference r : referencesIn(f)) {
                int at = p.start() * 8 + r.offset() - f.offset();
                patch(program, out, at, r, starts);
            }
        }
        byte[] funcInfo = null;
        byte[] lineInfo = null;
        int funcSize = 0;
        int lineSize = 0;
        if (ext != null) {
            funcSize = ext.funcInfoRecordSize();
            lineSize = ext.lineInfoRecordSize();
            funcInfo = funcInfo(layout);
            lineInfo = lineInfo(layout);
        }
        return new LinkedProgram(out.array(), funcInfo, funcSize, lineInfo, lineSize, List.copyOf(layout));
    }

    private void patch(ProgramSpec program, ByteBuffer out, int at, CodeReference r, Map<CodeFunction, Integer> starts) {
        int insn = at / 8;
        switch (r.kind()) {
            case MAP, DATA -> {
                Integer fd = mapFds.get(r.mapName());
                if (fd == null) {
                    throw new RelocationException(program.name(), insn, "uses map '" + r.mapName()
                            + "', which was not created (autocreate is off); create it or do not load this program");
                }
                out.put(at + 1, (byte) ((out.get(at + 1) & 0x0f) | ((r.kind() == CodeReference.Kind.MAP ? PSEUDO_MAP_FD : PSEUDO_MAP_VALUE) << 4)));
                out.putInt(at + 4, fd);
                out.putInt(at + 12, (int) r.valueOffset());
            }
            case KSYM -> {
                KsymResolver.Resolution k = ksyms.resolve(program.name(), r.extern());
                if (k.btfId() > 0) {
                    out.put(at + 1, (byte) ((out.get(at + 1) & 0x0f) | (PSEUDO_BTF_ID << 4)));
                    out.putInt(at + 4, k.btfId());
                    out.putInt(at + 12, k.btfFd());  // the BTF object's descriptor: 0 is vmlinux
                } else {
                    out.putInt(at + 4, (int) k.address());
                    out.putInt(at + 12, (int) (k.address() >>> 32));
                }
            }
            case KFUNC_CALL -> {
                KsymResolver.Resolution k = ksyms.resolve(program.name(), r.extern());
                out.put(at + 1, (byte) ((out.get(at + 1) & 0x0f) | ((k.btfId() > 0 ? PSEUDO_KFUNC_CALL : 0) << 4)));
                out.putShort(at + 2, (short) k.fdIndex());  // off: the BTF object's index in fd_array, 0 for vmlinux
                out.putInt(at + 4, k.btfId() > 0 ? k.btfId() : POISONED_KFUNC);
            }
            case CALL, FUNC_ADDR -> {
                CodeFunction callee = code.get(r.targetSection()).functionAt(r.targetInsn());
                int target = starts.get(callee) + r.targetInsn() - callee.offset() / 8;
                if (r.kind() == CodeReference.Kind.FUNC_ADDR) {
                    out.put(at + 1, (byte) ((out.get(at + 1) & 0x0f) | (PSEUDO_FUNC << 4)));
                }
                out.putInt(at + 4, target - insn - 1);
            }
        }
    }

    private List<CodeReference> referencesIn(CodeFunction f) {
        List<CodeReference> refs = new ArrayList<>();
        for (CodeReference r : code.get(f.sectionIndex()).references()) {
            if (f.contains(r.offset())) {
                refs.add(r);
            }
        }
        return refs;
    }

    private byte[] funcInfo(List<LinkedProgram.Placed> layout) {
        int size = ext.funcInfoRecordSize();
        ByteBuffer b = ByteBuffer.allocate(countRecords(layout, ext.funcInfo(), BtfExt.FuncInfo::insnOffset) * size)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (LinkedProgram.Placed p : layout) {
            for (BtfExt.FuncInfo fi : ext.funcInfo().getOrDefault(p.function().sectionName(), List.of())) {
                if (p.function().contains(fi.insnOffset())) {
                    int at = b.position();
                    b.putInt(at, p.start() + (fi.insnOffset() - p.function().offset()) / 8).putInt(at + 4, fi.typeId());
                    b.position(at + size);
                }
            }
        }
        return b.position() == 0 ? null : b.array();
    }

    private byte[] lineInfo(List<LinkedProgram.Placed> layout) {
        int size = ext.lineInfoRecordSize();
        ByteBuffer b = ByteBuffer.allocate(countRecords(layout, ext.lineInfo(), BtfExt.LineInfo::insnOffset) * size)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (LinkedProgram.Placed p : layout) {
            for (BtfExt.LineInfo li : ext.lineInfo().getOrDefault(p.function().sectionName(), List.of())) {
                if (p.function().contains(li.insnOffset())) {
                    int at = b.position();
                    b.putInt(at, p.start() + (li.insnOffset() - p.function().offset()) / 8)
                            .putInt(at + 4, li.fileNameOffset()).putInt(at + 8, li.lineOffset())
                            .putInt(at + 12, li.lineNumber() << 10 | li.column());
                    b.position(at + size);
                }
            }
        }
        return b.position() == 0 ? null : b.array();
    }

    private static <T> int countRecords(List<LinkedProgram.Placed> layout, Map<String, List<T>> bySection,
                                        java.util.function.ToIntFunction<T> offset) {
        int n = 0;
        for (LinkedProgram.Placed p : layout) {
            for (T r : bySection.getOrDefault(p.function().sectionName(), List.of())) {
                if (p.function().contains(offset.applyAsInt(r))) {
                    n++;
                }
            }
        }
        return n;
    }
}
