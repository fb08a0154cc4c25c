package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.TestRunResult;
import io.reactorbpf.core.sys.MapCreateAttr;
import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.AttachType;
import io.reactorbpf.core.sys.VerifierException;
import io.reactorbpf.core.sys.MapInfo;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.OptionalInt;
import java.util.EnumSet;

/**
 * Typed wrappers of bpf(2), one per command reactor-bpf uses. Each fills a {@code union bpf_attr}
 * ({@link BpfAttr}), makes the call and turns a failure into a {@link SyscallException} naming the command
 * and the errno. Thread-safe: every call uses its own attr memory, except the element commands
 * (lookup, update, delete, next key), which reuse one attr per thread.
 */
public final class Bpf {

    /** BPF_ANY: create or update. */
    public static final long ANY = 0;
    /** BPF_NOEXIST: create only. */
    public static final long NOEXIST = 1;
    /** BPF_EXIST: update only. */
    public static final long EXIST = 2;
    /** BPF_F_LOCK. */
    public static final long F_LOCK = 4;

    // without privileges, interrupted or with a closed descriptor, a verifier log would not explain the failure
    private static final LoggedLoad PROG_LOAD = new LoggedLoad(BpfCommand.PROG_LOAD, BpfAttr.ProgLoad.END,
            EnumSet.of(Errno.EPERM, Errno.EINTR, Errno.EBADF));
    // the BTF checker's log explains every failure but a missing privilege
    private static final LoggedLoad BTF_LOAD = new LoggedLoad(BpfCommand.BTF_LOAD, BpfAttr.BtfLoad.END,
            EnumSet.of(Errno.EPERM));

    // map element calls are the hot path: each thread fills, passes and forgets its own attr within one call
    private static final ThreadLocal<NativeBuffer> ELEM_ATTR =
            ThreadLocal.withInitial(() -> NativeBuffer.allocate(BpfAttr.MapElem.END));

    private Bpf() {
    }

    /** Makes the call; returns the non-negative result, or minus the errno. */
    static long call(BpfCommand cmd, NativeBuffer attr, int size) {
        long r = Native.libc().syscall(Native.arch().bpf(), cmd.value(), attr.address(), size, 0, 0);
        Reference.reachabilityFence(attr);
        return r < 0 ? -Native.errno() : r;
    }

    private static long check(BpfCommand cmd, NativeBuffer attr, int size, String context) {
        long r = call(cmd, attr, size);
        if (r < 0) {
            throw new SyscallException("bpf", "BPF_" + cmd.name(), (int) -r, context);
        }
        return r;
    }

    private static NativeBuffer attr() {
        return NativeBuffer.allocate(BpfAttr.SIZE);
    }

    /** BPF_MAP_CREATE; the returned descriptor is the caller's to close. */
    public static FileDescriptor mapCreate(MapCreateAttr a) {
        NativeBuffer attr = attr();
        ByteBuffer b = attr.buffer();
        BpfAttr.MapCreate.MAP_TYPE.put(b, a.mapType());
        BpfAttr.MapCreate.KEY_SIZE.put(b, a.keySize());
        BpfAttr.MapCreate.VALUE_SIZE.put(b, a.valueSize());
        BpfAttr.MapCreate.MAX_ENTRIES.put(b, a.maxEntries());
        BpfAttr.MapCreate.MAP_FLAGS.put(b, a.mapFlags());
        BpfAttr.MapCreate.INNER_MAP_FD.put(b, a.innerMapFd());
        BpfAttr.MapCreate.NUMA_NODE.put(b, a.numaNode());
        BpfAttr.MapCreate.MAP_NAME.putName(b, ObjectName.sanitize(a.name()));
        BpfAttr.MapCreate.BTF_FD.put(b, a.btfFd());
        BpfAttr.MapCreate.BTF_KEY_TYPE_ID.put(b, a.btfKeyTypeId());
        BpfAttr.MapCreate.BTF_VALUE_TYPE_ID.put(b, a.btfValueTypeId());
        BpfAttr.MapCreate.MAP_EXTRA.put(b, a.mapExtra());
        long fd = check(BpfCommand.MAP_CREATE, attr, BpfAttr.MapCreate.END, "creating map '" + a.name() + "' " + a);
        return new FileDescriptor((int) fd, "map " + a.name());
    }

    /**
     * BPF_MAP_LOOKUP_ELEM. Copies the value into {@code value}; returns false when the key is absent
     * (ENOENT), which is an answer, not an error.
     */
    public static boolean mapLookupElem(FileDescriptor map, NativeBuffer key, NativeBuffer value, long flags) {
        return elemCall(BpfCommand.MAP_LOOKUP_ELEM, map, key, value, flags);
    }

    /** BPF_MAP_UPDATE_ELEM with {@link #ANY}, {@link #NOEXIST}, {@link #EXIST} and {@link #F_LOCK} flags. */
    public static void mapUpdateElem(FileDescriptor map, NativeBuffer key, NativeBuffer value, long flags) {
        if (!elemCall(BpfCommand.MAP_UPDATE_ELEM, map, key, value, flags)) {
            throw new SyscallException("bpf", "BPF_MAP_UPDATE_ELEM", Errno.ENOENT.number(), map.what());
        }
    }

    /** BPF_MAP_DELETE_ELEM; returns false when the key was absent. */
    public static boolean mapDeleteElem(FileDescriptor map, NativeBuffer key) {
        return elemCall(BpfCommand.MAP_DELETE_ELEM, map, key, null, 0);
    }

    /**
     * BPF_MAP_GET_NEXT_KEY. With a null {@code key} returns the first key. Returns false after the last
     * key (ENOENT).
     */
    public static boolean mapGetNextKey(FileDescriptor map, NativeBuffer key, NativeBuffer nextKey) {
        return elemCall(BpfCommand.MAP_GET_NEXT_KEY, map, key, nextKey, 0);
    }

    /**
     * One of the MAP_*_ELEM commands: the map, the key (null: none), the value or next key (null: none) and
     * flags. ENOENT, an absent key, is an answer (false); other failures throw.
     */
    private static boolean elemCall(BpfCommand cmd, FileDescriptor map, NativeBuffer key, NativeBuffer value, long flags) {
        NativeBuffer attr = ELEM_ATTR.get();
        ByteBuffer b = attr.buffer();
        BpfAttr.MapElem.MAP_FD.put(b, map.fd());
        BpfAttr.MapElem.KEY.put(b, key == null ? 0 : key.address());
        BpfAttr.MapElem.VALUE.put(b, value == null ? 0 : value.address());
        BpfAttr.MapElem.FLAGS.put(b, flags);
        long r = call(cmd, attr, BpfAttr.MapElem.END);
        Reference.reachabilityFence(key);
        Reference.reachabilityFence(value);
        if (r == -Errno.ENOENT.number()) {
            return false;
        }
        if (r < 0) {
            throw new SyscallException("bpf", "BPF_" + cmd.name(), (int) -r, map.what());
        }
        return true;
    }

    /**
     * BPF_MAP_LOOKUP_BATCH: reads up to {@code count} entries into {@code keys} and {@code values}, starting
     * after the position in {@code inBatch} (null for the start) and storing the next position in
     * {@code outBatch}. Returns how many entries were read and whether the map has no more.
     */
    public static BatchResult mapLookupBatch(FileDescriptor map, NativeBuffer inBatch, NativeBuffer outBatch,
                                             NativeBuffer keys, NativeBuffer values, int count, long elemFlags) {
        return batch(BpfCommand.MAP_LOOKUP_BATCH, map, inBatch, outBatch, keys, values, count, elemFlags);
    }

    /**
     * BPF_MAP_LOOKUP_AND_DELETE_BATCH: as {@link #mapLookupBatch}, and the kernel deletes each entry it copied
     * out (hash maps lock each bucket for its copy and delete). Array maps cannot delete: they refuse it.
     */
    public static BatchResult mapLookupAndDeleteBatch(FileDescriptor map, NativeBuffer inBatch, NativeBuffer outBatch,
                                                      NativeBuffer keys, NativeBuffer values, int count, long elemFlags) {
        return batch(BpfCommand.MAP_LOOKUP_AND_DELETE_BATCH, map, inBatch, outBatch, keys, values, count, elemFlags);
    }

    private static BatchResult batch(BpfCommand cmd, FileDescriptor map, NativeBuffer inBatch, NativeBuffer outBatch,
                                     NativeBuffer keys, NativeBuffer values, int count, long elemFlags) {
        NativeBuffer attr = attr();
        ByteBuffer b = attr.buffer();
        BpfAttr.Batch.IN_BATCH.put(b, inBatch == null ? 0 : inBatch.address());
        BpfAttr.Batch.OUT_BATCH.put(b, outBatch.address());
        BpfAttr.Batch.KEYS.put(b, keys.address());
        BpfAttr.Batch.VALUES.put(b, values.address());
        BpfAttr.Batch.COUNT.put(b, count);
        BpfAttr.Batch.MAP_FD.put(b, map.fd());
        BpfAttr.Batch.ELEM_FLAGS.put(b, elemFlags);
        long r = call(cmd, attr, BpfAttr.Batch.END);
        Reference.reachabilityFence(inBatch);
        Reference.reachabilityFence(outBatch);
        Reference.reachabilityFence(keys);
        Reference.reachabilityFence(values);
        int read = (int) BpfAttr.Batch.COUNT.get(b);
        if (r == -Errno.ENOENT.number()) {
            return new BatchResult(read, true);
        }
        if (r < 0) {
            throw new SyscallException("bpf", "BPF_" + cmd.name(), (int) -r, map.what());
        }
        return new BatchResult(read, false);
    }

    /** The outcome of a batch operation: entries processed, and whether the map was exhausted. */
    public record BatchResult(int count, boolean done) {
    }

    /** BPF_MAP_FREEZE: user space can no longer write the map; BPF programs still read it. */
    public static void mapFreeze(FileDescriptor map) {
        NativeBuffer attr = attr();
        BpfAttr.MapElem.MAP_FD.put(attr.buffer(), map.fd());
        check(BpfCommand.MAP_FREEZE, attr, BpfAttr.MapElem.END, map.what());
    }

    /**
     * BPF_PROG_LOAD. On rejection throws a {@link VerifierException} with the whole verifier log: the load is
     * retried with the log enabled, and with a larger log buffer while the kernel says it ran out (ENOSPC).
     */
    public static FileDescriptor progLoad(ProgLoadAttr a) {
        ProgramMemory memory = ProgramMemory.of(a);
        String context = "loading program '" + a.name() + "'";
        try {
            long fd = PROG_LOAD.run(a.logLevel(), a.logSize(),
                    (logBuf, logSize, logLevel) -> progLoadAttr(a, memory, logBuf, logSize, logLevel),
                    (errno, log) -> log == null ? new SyscallException("bpf", "BPF_PROG_LOAD", errno, context)
                            : new VerifierException("BPF_PROG_LOAD", errno, context, log));
            return new FileDescriptor((int) fd, "program " + a.name());
        } finally {
            Reference.reachabilityFence(memory);
        }
    }

    /** A PROG_LOAD attr for {@code a}, pointing into {@code memory} and at the log buffer {@code logBuf} (0: none). */
    private static NativeBuffer progLoadAttr(ProgLoadAttr a, ProgramMemory memory, long logBuf, int logSize,
                                             int logLevel) {
        NativeBuffer attr = attr();
        ByteBuffer b = attr.buffer();
        BpfAttr.ProgLoad.PROG_TYPE.put(b, a.progType());
        BpfAttr.ProgLoad.INSN_CNT.put(b, a.insns().length / 8);
        BpfAttr.ProgLoad.INSNS.put(b, memory.insns().address());
        BpfAttr.ProgLoad.LICENSE.put(b, memory.license().address());
        BpfAttr.ProgLoad.LOG_LEVEL.put(b, logLevel);
        BpfAttr.ProgLoad.LOG_SIZE.put(b, logSize);
        BpfAttr.ProgLoad.LOG_BUF.put(b, logBuf);
        BpfAttr.ProgLoad.KERN_VERSION.put(b, a.kernVersion());
        BpfAttr.ProgLoad.PROG_FLAGS.put(b, a.progFlags());
        BpfAttr.ProgLoad.PROG_NAME.putName(b, ObjectName.sanitize(a.name()));
        BpfAttr.ProgLoad.EXPECTED_ATTACH_TYPE.put(b, a.expectedAttachType());
        BpfAttr.ProgLoad.PROG_BTF_FD.put(b, a.progBtfFd());
        if (memory.funcInfo() != null) {
            BpfAttr.ProgLoad.FUNC_INFO_REC_SIZE.put(b, a.funcInfoRecSize());
            BpfAttr.ProgLoad.FUNC_INFO.put(b, memory.funcInfo().address());
            BpfAttr.ProgLoad.FUNC_INFO_CNT.put(b, a.funcInfo().length / a.funcInfoRecSize());
        }
        if (memory.lineInfo() != null) {
            BpfAttr.ProgLoad.LINE_INFO_REC_SIZE.put(b, a.lineInfoRecSize());
            BpfAttr.ProgLoad.LINE_INFO.put(b, memory.lineInfo().address());
            BpfAttr.ProgLoad.LINE_INFO_CNT.put(b, a.lineInfo().length / a.lineInfoRecSize());
        }
        BpfAttr.ProgLoad.ATTACH_BTF_ID.put(b, a.attachBtfId());
        BpfAttr.ProgLoad.ATTACH_BTF_OBJ_FD.put(b, a.attachBtfObjFd());
        if (memory.fdArray() != null) {
            BpfAttr.ProgLoad.FD_ARRAY.put(b, memory.fdArray().address());
        }
        return attr;
    }

    /**
     * The native copies a PROG_LOAD attr points to, made once for all attempts of one load; null where the
     * program has none. Keep the record reachable until the call has returned.
     */
    private record ProgramMemory(NativeBuffer insns, NativeBuffer license, NativeBuffer funcInfo,
                                 NativeBuffer lineInfo, NativeBuffer fdArray) {

        static ProgramMemory of(ProgLoadAttr a) {
            return new ProgramMemory(NativeBuffer.copyOf(a.insns()), NativeBuffer.cString(a.license()),
                    a.funcInfo() == null ? null : NativeBuffer.copyOf(a.funcInfo()),
                    a.lineInfo() == null ? null : NativeBuffer.copyOf(a.lineInfo()),
                    a.fdArray() == null ? null : intArray(a.fdArray()));
        }
    }

    /** BPF_BTF_LOAD; a rejection carries the kernel's BTF log, retried and grown like {@link #progLoad}'s. */
    public static FileDescriptor btfLoad(byte[] btf) {
        NativeBuffer data = NativeBuffer.copyOf(btf);
        String context = "loading BTF (" + btf.length + " bytes)";
        try {
            long fd = BTF_LOAD.run(0, 0,
                    (logBuf, logSize, logLevel) -> btfLoadAttr(data, btf.length, logBuf, logSize, logLevel),
                    (errno, log) -> log == null ? new SyscallException("bpf", "BPF_BTF_LOAD", errno, context)
                            : new VerifierException("BPF_BTF_LOAD", errno, context, log));
            return new FileDescriptor((int) fd, "btf");
        } finally {
            Reference.reachabilityFence(data);
        }
    }

    /** A BTF_LOAD attr for the {@code size} bytes at {@code data} and the log buffer {@code logBuf} (0: none). */
    private static NativeBuffer btfLoadAttr(NativeBuffer data, int size, long logBuf, int logSize, int logLevel) {
        NativeBuffer attr = attr();
        ByteBuffer b = attr.buffer();
        BpfAttr.BtfLoad.BTF.put(b, data.address());
        BpfAttr.BtfLoad.BTF_SIZE.put(b, size);
        BpfAttr.BtfLoad.BTF_LOG_BUF.put(b, logBuf);
        BpfAttr.BtfLoad.BTF_LOG_SIZE.put(b, logSize);
        BpfAttr.BtfLoad.BTF_LOG_LEVEL.put(b, logLevel);
        return attr;
    }

    /** BPF_OBJ_PIN: pins {@code fd} at {@code path} on a bpffs mount. */
    public static void objPin(FileDescriptor fd, String path) {
        NativeBuffer p = NativeBuffer.cString(path);
        NativeBuffer attr = attr();
        BpfAttr.Obj.PATHNAME.put(attr.buffer(), p.address());
        BpfAttr.Obj.BPF_FD.put(attr.buffer(), fd.fd());
        check(BpfCommand.OBJ_PIN, attr, BpfAttr.Obj.END, "pinning " + fd.what() + " at " + path);
        Reference.reachabilityFence(p);
    }

    /** BPF_OBJ_GET: opens the object pinned at {@code path}. */
    public static FileDescriptor objGet(String path, int fileFlags) {
        NativeBuffer p = NativeBuffer.cString(path);
        NativeBuffer attr = attr();
        BpfAttr.Obj.PATHNAME.put(attr.buffer(), p.address());
        BpfAttr.Obj.FILE_FLAGS.put(attr.buffer(), fileFlags);
        long fd = check(BpfCommand.OBJ_GET, attr, BpfAttr.Obj.END, "opening pinned object " + path);
        Reference.reachabilityFence(p);
        return new FileDescriptor((int) fd, "pinned " + path);
    }

    /**
     * BPF_OBJ_GET_INFO_BY_FD: the kernel's info struct for a map, program, link or BTF object, as raw bytes
     * in native order ({@code bpf_map_info}, {@code bpf_prog_info}, ...). Decode with {@link MapInfo}.
     */
    public static ByteBuffer objGetInfoByFd(FileDescriptor fd, int infoLen) {
        NativeBuffer info = NativeBuffer.allocate(infoLen);
        NativeBuffer attr = attr();
        ByteBuffer b = attr.buffer();
        BpfAttr.Info.BPF_FD.put(b, fd.fd());
        BpfAttr.Info.INFO_LEN.put(b, infoLen);
        BpfAttr.Info.INFO.put(b, info.address());
        check(BpfCommand.OBJ_GET_INFO_BY_FD, attr, BpfAttr.Info.END, fd.what());
        return info.buffer();
    }

    /** BPF_BTF_GET_NEXT_ID: the id of the first BTF object loaded in the kernel after id {@code start}; empty after the last. */
    public static OptionalInt btfGetNextId(int start) {
        NativeBuffer attr = attr();
        BpfAttr.GetId.START_ID.put(attr.buffer(), start);
        long r = call(BpfCommand.BTF_GET_NEXT_ID, attr, BpfAttr.GetId.END);
        if (r == -Errno.ENOENT.number()) {
            return OptionalInt.empty();
        }
        if (r < 0) {
            throw new SyscallException("bpf", "BPF_BTF_GET_NEXT_ID", (int) -r, "the BTF object after id " + start);
        }
        return OptionalInt.of((int) BpfAttr.GetId.NEXT_ID.get(attr.buffer()));
    }

    /** BPF_BTF_GET_FD_BY_ID: a descriptor of BTF object {@code id}, the caller's to close. */
    public static FileDescriptor btfGetFdById(int id) {
        NativeBuffer attr = attr();
        BpfAttr.GetId.BTF_ID.put(attr.buffer(), id);
        long fd = check(BpfCommand.BTF_GET_FD_BY_ID, attr, BpfAttr.GetId.END, "BTF object " + id);
        return new FileDescriptor((int) fd, "BTF object " + id);
    }

    /** BPF_OBJ_GET_INFO_BY_FD on a BTF object: its id, name and whether the kernel's own (vmlinux or a module). */
    public static BtfObjectInfo btfInfo(FileDescriptor btf) {
        NativeBuffer name = NativeBuffer.allocate(BtfObjectInfo.NAME_CAPACITY);
        NativeBuffer info = NativeBuffer.allocate(BtfObjectInfo.SIZE);
        ByteBuffer in = info.buffer();
        in.putLong(BtfObjectInfo.NAME, name.address());
        in.putInt(BtfObjectInfo.NAME_LEN, BtfObjectInfo.NAME_CAPACITY);
        NativeBuffer attr = attr();
        ByteBuffer b = attr.buffer();
        BpfAttr.Info.BPF_FD.put(b, btf.fd());
        BpfAttr.Info.INFO_LEN.put(b, BtfObjectInfo.SIZE);
        BpfAttr.Info.INFO.put(b, info.address());
        check(BpfCommand.OBJ_GET_INFO_BY_FD, attr, BpfAttr.Info.END, btf.what());
        BtfObjectInfo result = BtfObjectInfo.read(in, name.buffer());
        Reference.reachabilityFence(name);
        return result;
    }

    /** BPF_PROG_BIND_MAP: keeps {@code map} alive as long as {@code prog}, though no instruction names it. */
    public static void progBindMap(FileDescriptor prog, FileDescriptor map) {
        NativeBuffer attr = attr();
        BpfAttr.ProgBindMap.PROG_FD.put(attr.buffer(), prog.fd());
        BpfAttr.ProgBindMap.MAP_FD.put(attr.buffer(), map.fd());
        check(BpfCommand.PROG_BIND_MAP, attr, BpfAttr.ProgBindMap.END, prog.what() + " and " + map.what());
    }

    /**
     * BPF_RAW_TRACEPOINT_OPEN: attaches a raw_tracepoint program to tracepoint {@code name}, or a tp_btf /
     * fentry / fexit program to the target it was loaded for when {@code name} is null.
     */
    public static FileDescriptor rawTracepointOpen(String name, FileDescriptor prog) {
        NativeBuffer n = name == null ? null : NativeBuffer.cString(name);
        NativeBuffer attr = attr();
        BpfAttr.RawTracepoint.NAME.put(attr.buffer(), n == null ? 0 : n.address());
        BpfAttr.RawTracepoint.PROG_FD.put(attr.buffer(), prog.fd());
        long fd = check(BpfCommand.RAW_TRACEPOINT_OPEN, attr, BpfAttr.RawTracepoint.END,
                "attaching " + prog.what() + (name == null ? "" : " to raw tracepoint " + name));
        Reference.reachabilityFence(n);
        return new FileDescriptor((int) fd, "raw tracepoint link " + (name == null ? prog.what() : name));
    }

    /** BPF_LINK_CREATE. */
    public static FileDescriptor linkCreate(LinkCreateAttr a) {
        NativeBuffer attr = attr();
        ByteBuffer b = attr.buffer();
        BpfAttr.LinkCreate.PROG_FD.put(b, a.prog().fd());
        BpfAttr.LinkCreate.TARGET_FD.put(b, a.targetFd());
        BpfAttr.LinkCreate.ATTACH_TYPE.put(b, a.attachType());
        BpfAttr.LinkCreate.FLAGS.put(b, a.flags());
        if (a.attachType() == AttachType.PERF_EVENT.value()) {
            BpfAttr.LinkCreate.PERF_EVENT_BPF_COOKIE.put(b, a.cookie());
        } else {
            BpfAttr.LinkCreate.TARGET_BTF_ID.put(b, a.targetBtfId());
            BpfAttr.LinkCreate.TRACING_COOKIE.put(b, a.cookie());
        }
        long fd = check(BpfCommand.LINK_CREATE, attr, BpfAttr.LinkCreate.END,
                "linking " + a.prog().what() + " (attach type " + a.attachType() + ", target fd " + a.targetFd() + ")");
        return new FileDescriptor((int) fd, "link of " + a.prog().what());
    }

    /**
     * BPF_PROG_TEST_RUN: runs {@code prog} in the kernel on {@code dataIn} (and {@code ctxIn}) {@code repeat}
     * times and returns its return value, the data it wrote and the mean duration in nanoseconds.
     */
    public static TestRunResult progTestRun(FileDescriptor prog, byte[] dataIn, int dataOutSize, byte[] ctxIn,
                                            int repeat) {
        NativeBuffer in = dataIn == null ? null : NativeBuffer.copyOf(dataIn);
        NativeBuffer out = dataOutSize == 0 ? null : NativeBuffer.allocate(dataOutSize);
        NativeBuffer ctx = ctxIn == null ? null : NativeBuffer.copyOf(ctxIn);
        NativeBuffer attr = attr();
        ByteBuffer b = attr.buffer();
        BpfAttr.TestRun.PROG_FD.put(b, prog.fd());
        if (in != null) {
            BpfAttr.TestRun.DATA_IN.put(b, in.address());
            BpfAttr.TestRun.DATA_SIZE_IN.put(b, dataIn.length);
        }
        if (out != null) {
            BpfAttr.TestRun.DATA_OUT.put(b, out.address());
            BpfAttr.TestRun.DATA_SIZE_OUT.put(b, dataOutSize);
        }
        if (ctx != null) {
            BpfAttr.TestRun.CTX_IN.put(b, ctx.address());
            BpfAttr.TestRun.CTX_SIZE_IN.put(b, ctxIn.length);
        }
        BpfAttr.TestRun.REPEAT.put(b, repeat);
        check(BpfCommand.PROG_TEST_RUN, attr, BpfAttr.TestRun.END, "test-running " + prog.what());
        Reference.reachabilityFence(in);
        Reference.reachabilityFence(ctx);
        int outLen = (int) BpfAttr.TestRun.DATA_SIZE_OUT.get(b);
        byte[] data = out == null ? new byte[0] : out.toBytes(Math.min(outLen, dataOutSize));
        return new TestRunResult((int) BpfAttr.TestRun.RETVAL.get(b), data, BpfAttr.TestRun.DURATION.get(b));
    }

    private static NativeBuffer intArray(int[] values) {
        NativeBuffer b = NativeBuffer.allocate(values.length * 4);
        for (int i = 0; i < values.length; i++) {
            b.buffer().putInt(i * 4, values[i]);
        }
        return b;
    }
}
