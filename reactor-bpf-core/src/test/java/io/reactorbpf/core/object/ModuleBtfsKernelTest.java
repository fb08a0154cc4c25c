package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfKind;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.internal.sys.BtfObjectInfo;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernel module BTF as the ksym resolver searches it: the kernel's BTF objects listed by id (vmlinux among them, a
 * loaded object's own BTF not the kernel's), the modules found equal to those {@code /sys/kernel/btf} publishes, and
 * a kfunc that only a module's split BTF declares resolved to that BTF's id with a slot in the programs' fd_array.
 */
@KernelTest
class ModuleBtfsKernelTest {

    private static List<BtfObjectInfo> kernelBtfObjects() {
        List<BtfObjectInfo> all = new ArrayList<>();
        for (OptionalInt id = Bpf.btfGetNextId(0); id.isPresent(); id = Bpf.btfGetNextId(id.getAsInt())) {
            try (FileDescriptor fd = Bpf.btfGetFdById(id.getAsInt())) {
                all.add(Bpf.btfInfo(fd));
            }
        }
        return all;
    }

    @Test
    void theKernelListsVmlinuxAsItsOwnBtfAndALoadedObjectsAsNot() {
        try (BpfObject obj = TestObjects.open("loader_usdt").load()) {
            List<BtfObjectInfo> all = kernelBtfObjects();
            assertTrue(all.stream().anyMatch(i -> i.name().equals("vmlinux") && i.kernelBtf()), all.toString());
            assertTrue(all.stream().anyMatch(i -> !i.kernelBtf()), "the object's BTF: " + all);
        }
    }

    @Test
    void theModulesFoundAreThoseSysfsPublishes() throws IOException {
        List<String> published;
        try (Stream<Path> files = Files.list(ModuleBtfs.SYSFS)) {
            published = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("vmlinux")).sorted().toList();
        }
        try (ModuleBtfs modules = ModuleBtfs.running(Btf.vmlinux())) {
            assertEquals(Optional.empty(), modules.unlisted());
            assertEquals(published, modules.modules().stream().map(ModuleBtfs.Module::name).sorted().toList());
        }
    }

    @Test
    void aKfuncOnlyAModuleDeclaresResolvesInItsBtfWithAnFdArraySlot() throws IOException {
        Btf vmlinux = Btf.vmlinux();
        Btf module = Btf.parseSplit(moduleDeclaring(vmlinux, "reactor_bpf_mod_kfunc"), vmlinux);
        int vmlinuxId = kernelBtfObjects().stream().filter(i -> i.name().equals("vmlinux")).findFirst().orElseThrow().id();
        Btf object = Btf.of(List.of(new BtfType.Int("int", 4, BtfType.Int.SIGNED, 0, 32),
                new BtfType.FuncProto(null, 1, List.of())));
        FileDescriptor fd = Bpf.btfGetFdById(vmlinuxId);
        ModuleBtfs modules = new ModuleBtfs(List.of(new ModuleBtfs.Module("reactor_bpf_mod", module, fd)),
                Optional.empty());
        Map<String, KsymExtern> externs = Map.of(
                "reactor_bpf_mod_kfunc", new KsymExtern("reactor_bpf_mod_kfunc", true, 2, false),
                "reactor_bpf_nowhere", new KsymExtern("reactor_bpf_nowhere", true, 2, false));
        try (KsymResolver resolver = new KsymResolver(externs, object, () -> vmlinux, base -> modules, Path.of("/none"))) {
            assertNull(resolver.fdArray(), "no module used yet");
            KsymResolver.Resolution r = resolver.resolve("prog", "reactor_bpf_mod_kfunc");
            assertEquals(module.typeCount(), r.btfId(), "the FUNC after the module's FUNC_PROTO");
            assertEquals(1, r.fdIndex(), "fd_array[0] stays vmlinux's");
            assertEquals(fd.fd(), r.btfFd());
            assertArrayEquals(new int[] {0, fd.fd()}, resolver.fdArray());
            UnresolvedExternException e = assertThrows(UnresolvedExternException.class,
                    () -> resolver.resolve("prog", "reactor_bpf_nowhere"));
            assertTrue(e.getMessage().contains("has no FUNC 'reactor_bpf_nowhere' nor the BTF of modules reactor_bpf_mod;"),
                    e.getMessage());
        }
        assertThrows(RuntimeException.class, fd::fd, "closing the resolver closes the module descriptors");
    }

    /** Split BTF on {@code vmlinux} declaring {@code int NAME(void)}: a FUNC_PROTO returning vmlinux's int, and a FUNC. */
    private static byte[] moduleDeclaring(Btf vmlinux, String name) throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/sys/kernel/btf/vmlinux"));
        int baseStrings = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder()).getInt(20);
        int intId = vmlinux.findByName("int", BtfKind.INT).orElseThrow();
        byte[] strings = ("\0" + name + "\0").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(24 + 24 + strings.length).order(ByteOrder.nativeOrder());
        b.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24).putInt(0).putInt(24).putInt(24)
                .putInt(strings.length);
        b.putInt(0).putInt(13 << 24).putInt(intId);                                            // FUNC_PROTO, no params
        b.putInt(baseStrings + 1).putInt(12 << 24 | 1).putInt(vmlinux.typeCount() + 1);        // global FUNC
        b.put(strings);
        return b.array();
    }
}
