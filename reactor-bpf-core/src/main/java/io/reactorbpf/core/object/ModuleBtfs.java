package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.internal.sys.BtfObjectInfo;
import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.SyscallException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The BTF of the kernel's loaded modules, as libbpf's {@code load_module_btfs} finds it: every BTF object the kernel
 * lists ({@code BPF_BTF_GET_NEXT_ID}) that is the kernel's own and not vmlinux, with a descriptor the programs that
 * use its kfuncs and variables pass the kernel, and its types (split BTF on vmlinux's) from
 * {@code /sys/kernel/btf/MODULE}. Owns the descriptors; {@link #close()} releases them once the programs are loaded.
 * Used on the loading thread.
 */
final class ModuleBtfs implements AutoCloseable {

    /** One module's BTF: its name, types and descriptor. */
    record Module(String name, Btf btf, FileDescriptor fd) {
    }

    static final Path SYSFS = Path.of("/sys/kernel/btf");

    private final List<Module> modules;
    /** Why the modules could not be listed, for an error message; empty when they were. */
    private final Optional<String> unlisted;

    ModuleBtfs(List<Module> modules, Optional<String> unlisted) {
        this.modules = List.copyOf(modules);
        this.unlisted = unlisted;
    }

    /** The running kernel's modules, whose split BTF builds on {@code vmlinux}. */
    static ModuleBtfs running(Btf vmlinux) {
        List<Module> found = new ArrayList<>();
        try {
            for (OptionalInt id = Bpf.btfGetNextId(0); id.isPresent(); id = Bpf.btfGetNextId(id.getAsInt())) {
                module(id.getAsInt(), vmlinux).ifPresent(found::add);
            }
        } catch (SyscallException e) {
            found.forEach(m -> m.fd().close());
            if (e.errno() == Errno.EPERM) {
                return new ModuleBtfs(List.of(), Optional.of("listing the kernel's BTF objects needs CAP_SYS_ADMIN ("
                        + e.errno().name() + ")"));
            }
            throw e;
        }
        return new ModuleBtfs(found, Optional.empty());
    }

    private static Optional<Module> module(int id, Btf vmlinux) {
        FileDescriptor fd;
        try {
            fd = Bpf.btfGetFdById(id);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOENT) {
                return Optional.empty();  // unloaded since it was listed
            }
            throw e;
        }
        try {
            BtfObjectInfo info = Bpf.btfInfo(fd);
            if (!info.kernelBtf() || info.name().isEmpty() || info.name().equals("vmlinux")) {
                fd.close();
                return Optional.empty();
            }
            Path file = SYSFS.resolve(info.name());
            return Optional.of(new Module(info.name(), Btf.parseSplit(Files.readAllBytes(file), vmlinux), fd));
        } catch (NoSuchFileException e) {
            fd.close();
            return Optional.empty();  // a module unloaded between listing and reading
        } catch (IOException e) {
            fd.close();
            throw new UncheckedIOException("cannot read module BTF: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** The modules, in the kernel's id order. */
    List<Module> modules() {
        return modules;
    }

    /** Why no module was searched, when the kernel's BTF objects could not be listed. */
    Optional<String> unlisted() {
        return unlisted;
    }

    @Override
    public void close() {
        modules.forEach(m -> m.fd().close());
    }
}
