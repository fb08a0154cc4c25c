package io.reactorbpf.core.internal.btf;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed .BTF.ext section: per ELF code section, the function info, line info and CO-RE relocation
 * records, with their strings resolved against the object's {@link Btf}. Records larger than this reader
 * knows are accepted (their extra fields are ignored); smaller ones are rejected.
 *
 * <p>Immutable after {@link #parse}; safe to read from any thread.
 */
public final class BtfExt {

    /** The magic number .BTF.ext shares with .BTF. */
    private static final int MAGIC = 0xeB9F;

    private static final int MIN_HEADER = 24;
    private static final int FULL_HEADER = 32;
    private static final int FUNC_INFO_SIZE = 8;
    private static final int LINE_INFO_SIZE = 16;
    private static final int CORE_RELO_SIZE = 16;

    /**
     * One {@code bpf_func_info}: the function starting at byte offset {@code insnOffset} of its section
     * has the FUNC type {@code typeId}.
     */
    public record FuncInfo(int insnOffset, int typeId) {
    }

    /**
     * One {@code bpf_line_info}: the instruction at byte offset {@code insnOffset} came from {@code line}
     * of {@code fileName}. The string offsets refer to the object's BTF string section.
     */
    public record LineInfo(int insnOffset, int fileNameOffset, String fileName, int lineOffset, String line,
                           int lineNumber, int column) {
    }

    /**
     * One {@code bpf_core_relo}: the instruction at byte offset {@code insnOffset} needs {@code kind}
     * computed for local type {@code typeId} along {@code accessString} (e.g. "0:1:2").
     */
    public record CoreRelo(int insnOffset, int typeId, int accessStringOffset, String accessString,
                           CoreReloKind kind) {

        /** The access string's indices: "0:1:2" gives [0, 1, 2]. */
        public int[] accessIndices() {
            String[] parts = accessString.split(":");
            int[] indices = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                indices[i] = Integer.parseInt(parts[i]);
            }
            return indices;
        }
    }

    private final int funcInfoRecordSize;
    private final int lineInfoRecordSize;
    private final int coreReloRecordSize;
    private final Map<String, List<FuncInfo>> funcInfo;
    private final Map<String, List<LineInfo>> lineInfo;
    private final Map<String, List<CoreRelo>> coreRelos;

    private BtfExt(int funcInfoRecordSize, int lineInfoRecordSize, int coreReloRecordSize,
                   Map<String, List<FuncInfo>> funcInfo, Map<String, List<LineInfo>> lineInfo,
                   Map<String, List<CoreRelo>> coreRelos) {
        this.funcInfoRecordSize = funcInfoRecordSize;
        this.lineInfoRecordSize = lineInfoRecordSize;
        this.coreReloRecordSize = coreReloRecordSize;
        this.funcInfo = funcInfo;
        this.lineInfo = lineInfo;
        this.coreRelos = coreRelos;
    }

    /** Parses a .BTF.ext section whose strings and type ids refer to {@code btf} (the object's .BTF). */
    public static BtfExt parse(byte[] section, Btf btf) {
        return new Reader(section, btf).read();
    }

    /** Parses the remaining bytes of {@code section} (its position is not changed). */
    public static BtfExt parse(ByteBuffer section, Btf btf) {
        byte[] bytes = new byte[section.remaining()];
        section.duplicate().get(bytes);
        return parse(bytes, btf);
    }

    /** The {@code func_info} record size the file declares (8 or more). */
    public int funcInfoRecordSize() {
        return funcInfoRecordSize;
    }

    /** The {@code line_info} record size the file declares (16 or more). */
    public int lineInfoRecordSize() {
        return lineInfoRecordSize;
    }

    /** The {@code core_relo} record size the file declares (16 or more), 0 when there are no CO-RE records. */
    public int coreReloRecordSize() {
        return coreReloRecordSize;
    }

    /** Function info by ELF section name, sections in file order. */
    public Map<String, List<FuncInfo>> funcInfo() {
        return funcInfo;
    }

    /** Line info by ELF section name, sections in file order. */
    public Map<String, List<LineInfo>> lineInfo() {
        return lineInfo;
    }

    /** CO-RE relocations by ELF section name, sections in file order. */
    public Map<String, List<CoreRelo>> coreRelos() {
        return coreRelos;
    }

    /** Reads one section; used once by {@link #parse}. */
    private static final class Reader {
        private final byte[] data;
        private final Btf btf;
        private int bodyStart;

        Reader(byte[] data, Btf btf) {
            this.data = data;
            this.btf = btf;
        }

        BtfExt read() {
            if (data.length < MIN_HEADER) {
                throw new BtfFormatException(".BTF.ext header: " + data.length + " bytes is shorter than the "
                        + MIN_HEADER + "-byte header");
            }
            int magic = (data[0] & 0xff) | (data[1] & 0xff) << 8;
            if (magic != MAGIC) {
                throw new BtfFormatException(".BTF.ext header at offset 0: magic 0x" + Integer.toHexString(magic)
                        + " is not 0xeb9f");
            }
            if (data[2] != 1) {
                throw new BtfFormatException(".BTF.ext header at offset 2: version " + (data[2] & 0xff) + " is not 1");
            }
            long hdrLen = u32(4);
            if (hdrLen < MIN_HEADER || hdrLen > data.length) {
                throw new BtfFormatException(".BTF.ext header at offset 4: hdr_len " + hdrLen
                        + " must be between " + MIN_HEADER + " and the section size " + data.length);
            }
            bodyStart = (int) hdrLen;
            int[] funcSize = new int[1];
            int[] lineSize = new int[1];
            int[] reloSize = new int[1];
            Map<String, List<FuncInfo>> funcs = infos("func_info", 8, FUNC_INFO_SIZE, funcSize,
                    (at, where) -> new FuncInfo(s32(at), typeId(u32(at + 4), where)));
            Map<String, List<LineInfo>> lines = infos("line_info", 16, LINE_INFO_SIZE, lineSize, (at, where) -> {
                long file = u32(at + 4);
                long line = u32(at + 8);
                int lineCol = s32(at + 12);
                return new LineInfo(s32(at), (int) file, string(file, where + " file name"), (int) line,
                        string(line, where + " line"), lineCol >>> 10, lineCol & 0x3ff);
            });
            Map<String, List<CoreRelo>> relos = hdrLen >= FULL_HEADER
                    ? infos("core_relo", 24, CORE_RELO_SIZE, reloSize, this::coreRelo)
                    : Collections.emptyMap();
            return new BtfExt(funcSize[0], lineSize[0], reloSize[0], funcs, lines, relos);
        }

        private CoreRelo coreRelo(int at, String where) {
            long accessOff = u32(at + 8);
            String access = string(accessOff, where + " access string");
            if (!access.matches("[0-9]{1,9}(:[0-9]{1,9})*")) {
                throw new BtfFormatException(where + ": access string '" + access
                        + "' is not colon-separated indices such as 0:1:2");
            }
            long kindNumber = u32(at + 12);
            CoreReloKind kind = CoreReloKind.of(kindNumber);
            if (kind == null) {
                throw new BtfFormatException(where + ": unknown CO-RE relocation kind " + kindNumber
                        + "; the object was compiled for a newer loader");
            }
            return new CoreRelo(s32(at), typeId(u32(at + 4), where), (int) accessOff, access, kind);
        }

        /** One record decoder: the record at {@code at}, {@code where} naming it for errors. */
        private interface Decoder<T> {
            T decode(int at, String where);
        }

        /** Reads the info block whose offset and length sit at header offset {@code headerAt}. */
        private <T> Map<String, List<T>> infos(String what, int headerAt, int minRecord, int[] recordSize,
                                               Decoder<T> decoder) {
            long off = u32(headerAt);
            long len = u32(headerAt + 4);
            if (len == 0) {
                return Collections.emptyMap();
            }
            long start = bodyStart + off;
            if (start > data.length || len > data.length - start) {
                throw new BtfFormatException(".BTF.ext " + what + " [" + off + ", +" + len + ") after the "
                        + bodyStart + "-byte header lies outside the " + data.length + "-byte section");
            }
            int at = (int) start;
            int end = (int) (start + len);
            if (len < 4) {
                throw new BtfFormatException(".BTF.ext " + what + " at offset " + at + ": too short for its record size");
            }
            long recSize = u32(at);
            if (recSize < minRecord || recSize > len) {
                throw new BtfFormatException(".BTF.ext " + what + " at offset " + at + ": record size " + recSize
                        + " is smaller than " + minRecord + " or larger than the block");
            }
            recordSize[0] = (int) recSize;
            at += 4;
            Map<String, List<T>> bySection = new LinkedHashMap<>();
            while (at < end) {
                if (end - at < 8) {
                    throw new BtfFormatException(".BTF.ext " + what + " at offset " + at
                            + ": section header runs past the end of the block");
                }
                long nameOff = u32(at);
                long count = u32(at + 4);
                String section = string(nameOff, ".BTF.ext " + what + " at offset " + at + " section name");
                at += 8;
                if (count == 0 || count > (end - at) / recSize) {
                    throw new BtfFormatException(".BTF.ext " + what + " for section '" + section + "' at offset "
                            + (at - 8) + ": " + count + " records of " + recSize + " bytes do not fit in the block");
                }
                List<T> records = new ArrayList<>((int) count);
                for (long i = 0; i < count; i++, at += (int) recSize) {
                    records.add(decoder.decode(at, ".BTF.ext " + what + " '" + section + "' record " + i
                            + " at offset " + at));
                }
                if (bySection.putIfAbsent(section, Collections.unmodifiableList(records)) != null) {
                    throw new BtfFormatException(".BTF.ext " + what + ": section '" + section + "' appears twice");
                }
            }
            return Collections.unmodifiableMap(bySection);
        }

        private int typeId(long id, String where) {
            if (id > btf.typeCount()) {
                throw new BtfFormatException(where + ": type id " + id + " does not exist (the BTF's last id is "
                        + btf.typeCount() + ")");
            }
            return (int) id;
        }

        private String string(long offset, String where) {
            return btf.stringAt(offset, where);
        }

        private int s32(int at) {
            return (data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16 | data[at + 3] << 24;
        }

        private long u32(int at) {
            return s32(at) & 0xffffffffL;
        }
    }
}
