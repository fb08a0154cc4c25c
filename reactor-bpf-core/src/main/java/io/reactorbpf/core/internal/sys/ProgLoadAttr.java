package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.ProgType;
import java.util.Objects;

/**
 * What BPF_PROG_LOAD needs to load a program: type, instructions (8 bytes each, native order), license, and
 * the optional BTF, func_info, line_info and attach target. A mutable builder; not thread-safe.
 */
public final class ProgLoadAttr {

    private final int progType;
    private final byte[] insns;
    private String name = "";
    private String license = "GPL";
    private int expectedAttachType;
    private int kernVersion;
    private int progFlags;
    private int progBtfFd;
    private byte[] funcInfo;
    private int funcInfoRecSize;
    private byte[] lineInfo;
    private int lineInfoRecSize;
    private int attachBtfId;
    private int attachBtfObjFd;
    private int[] fdArray;
    private int logLevel;
    private int logSize;

    private ProgLoadAttr(int progType, byte[] insns) {
        if (insns.length == 0 || insns.length % 8 != 0) {
            throw new IllegalArgumentException("instructions must be a non-empty multiple of 8 bytes, got " + insns.length);
        }
        this.progType = progType;
        this.insns = insns;
    }

    /** A program of {@code type} made of {@code insns}; license GPL, no BTF, log only on failure. */
    public static ProgLoadAttr of(ProgType type, byte[] insns) {
        return new ProgLoadAttr(type.value(), insns);
    }

    public ProgLoadAttr name(String name) {
        this.name = Objects.requireNonNull(name);
        return this;
    }

    public ProgLoadAttr license(String license) {
        this.license = Objects.requireNonNull(license);
        return this;
    }

    public ProgLoadAttr expectedAttachType(int type) {
        this.expectedAttachType = type;
        return this;
    }

    public ProgLoadAttr kernVersion(int version) {
        this.kernVersion = version;
        return this;
    }

    public ProgLoadAttr progFlags(int flags) {
        this.progFlags = flags;
        return this;
    }

    /** The program's BTF with its func_info and line_info records (either may be null). */
    public ProgLoadAttr btf(int btfFd, byte[] funcInfo, int funcInfoRecSize, byte[] lineInfo, int lineInfoRecSize) {
        this.progBtfFd = btfFd;
        this.funcInfo = funcInfo;
        this.funcInfoRecSize = funcInfoRecSize;
        this.lineInfo = lineInfo;
        this.lineInfoRecSize = lineInfoRecSize;
        return this;
    }

    /** The kernel BTF type id (and module BTF fd, 0 for vmlinux) a tp_btf/fentry/fexit program attaches to. */
    public ProgLoadAttr attachBtf(int btfId, int objFd) {
        this.attachBtfId = btfId;
        this.attachBtfObjFd = objFd;
        return this;
    }

    public ProgLoadAttr fdArray(int[] fds) {
        this.fdArray = fds;
        return this;
    }

    /** Ask for the verifier log at {@code level} (1 or 2) even on success, in a buffer of {@code size} bytes. */
    public ProgLoadAttr log(int level, int size) {
        this.logLevel = level;
        this.logSize = size;
        return this;
    }

    public int progType() {
        return progType;
    }

    public byte[] insns() {
        return insns;
    }

    public String name() {
        return name;
    }

    public String license() {
        return license;
    }

    public int expectedAttachType() {
        return expectedAttachType;
    }

    public int kernVersion() {
        return kernVersion;
    }

    public int progFlags() {
        return progFlags;
    }

    public int progBtfFd() {
        return progBtfFd;
    }

    public byte[] funcInfo() {
        return funcInfo;
    }

    public int funcInfoRecSize() {
        return funcInfoRecSize;
    }

    public byte[] lineInfo() {
        return lineInfo;
    }

    public int lineInfoRecSize() {
        return lineInfoRecSize;
    }

    public int attachBtfId() {
        return attachBtfId;
    }

    public int attachBtfObjFd() {
        return attachBtfObjFd;
    }

    public int[] fdArray() {
        return fdArray;
    }

    public int logLevel() {
        return logLevel;
    }

    public int logSize() {
        return logSize;
    }
}
