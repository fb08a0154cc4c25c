/**
 * The loader: BPF objects opened from ELF, edited, loaded and attached; maps read and written; BTF read and
 * decoded; CO-RE relocated against the running kernel. Everything here is pure Java over the syscall layer
 * in the module's internal packages, which only {@code io.reactorbpf.perf} may read.
 */
module io.reactorbpf.core {
    requires org.jnrproject.jffi;
    requires org.jnrproject.jffi.nativelibs;
    // BTF-to-JSON decoding only (io.reactorbpf.core.btf.value.BtfJsonDecoder); the loader works without it
    requires static tools.jackson.databind;

    exports io.reactorbpf.core;
    exports io.reactorbpf.core.asm;
    exports io.reactorbpf.core.attach;
    exports io.reactorbpf.core.btf;
    exports io.reactorbpf.core.btf.value;
    exports io.reactorbpf.core.map;
    exports io.reactorbpf.core.object;
    exports io.reactorbpf.core.symbol;
    exports io.reactorbpf.core.sys;

    exports io.reactorbpf.core.internal.sys to io.reactorbpf.perf;
}
