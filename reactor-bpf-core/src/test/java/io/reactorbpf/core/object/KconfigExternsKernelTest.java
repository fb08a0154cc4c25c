package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code __kconfig} externs resolved for the running kernel: the committed loader_kconfig object copies each into
 * .bss when it runs, and the values must be the kernel's own (/proc/config.gz on our machines).
 */
@KernelTest
class KconfigExternsKernelTest {

    @Test
    void eachExternGetsTheRunningKernelsValueAndAWeakMissingOneIsZero() throws IOException {
        ObjectSpec spec = TestObjects.open("loader_kconfig");
        spec.variable("target_pid").set(ProcessHandle.current().pid());
        KernelConfig config = KernelConfig.running();
        try (BpfObject object = spec.load()) {
            object.attachAll();
            GetpgidSampler.trigger(1);

            assertEquals(Kernel.versionCode(), object.variable("kernel_version").getLong());
            assertEquals(Kernel.versionCode() >= (5 << 16 | 15 << 8) ? 1 : 0, object.variable("has_bpf_cookie").getLong());
            assertEquals(bool(config.value("CONFIG_BPF_SYSCALL").orElseThrow()), object.variable("bpf_syscall").getLong());
            assertEquals(tristate(config.value("CONFIG_KPROBES").orElse("n")), object.variable("kprobes").getLong());
            assertEquals(Long.parseLong(config.value("CONFIG_HZ").orElseThrow()), object.variable("hz").getLong());
            String localversion = config.value("CONFIG_LOCALVERSION").orElseThrow();
            assertEquals(localversion.substring(1, localversion.length() - 1), object.variable("localversion").getString());
            assertEquals(0, object.variable("no_such_option").getLong(), "a weak extern the kernel lacks is 0");
            assertTrue(object.map("loader_.kconfig").flags() != 0, "the values are in the object's .kconfig map");
        }
    }

    @Test
    void aStrongExternTheConfigurationLacksIsRefusedNamingItAndWhereItWasLookedFor() {
        KernelConfig config = new KernelConfig(Map.of("CONFIG_HZ", "250"), "/proc/config.gz", 0x060000, true);
        ObjectFormatException e = assertThrows(ObjectFormatException.class,
                () -> KconfigExterns.values(TestObjects.open("loader_kconfig").btf().orElseThrow(),
                        KconfigExterns.datasec(TestObjects.open("loader_kconfig").btf().orElseThrow()).getAsInt(),
                        java.util.Set.of("CONFIG_REACTOR_BPF_NO_SUCH_OPTION"), config));
        assertTrue(e.getMessage().startsWith("kconfig extern '"), e.getMessage());
        assertTrue(e.getMessage().contains("has no value on this kernel: /proc/config.gz does not mention CONFIG_"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("; declare it __weak to get 0 where it is missing"), e.getMessage());
    }

    @Test
    void kconfigLinesAddToAndOverrideTheRunningKernelsConfigurationAtLoad() throws IOException {
        ObjectSpec spec = TestObjects.open("loader_kconfig")
                .kconfig("# another kernel's\nCONFIG_HZ=1000\n# CONFIG_BPF_SYSCALL is not set\n"
                        + "CONFIG_LOCALVERSION=\"-other\"\nCONFIG_REACTOR_BPF_NO_SUCH_OPTION=y\n\n");
        spec.variable("target_pid").set(ProcessHandle.current().pid());
        try (BpfObject object = spec.load()) {
            object.attachAll();
            GetpgidSampler.trigger(1);

            assertEquals(1000, object.variable("hz").getLong());
            assertEquals(0, object.variable("bpf_syscall").getLong());
            assertEquals("-other", object.variable("localversion").getString());
            assertEquals(1, object.variable("no_such_option").getLong(), "a line supplies what the kernel lacks");
            assertEquals(Kernel.versionCode(), object.variable("kernel_version").getLong(),
                    "LINUX_ values stay the running kernel's");
        }
    }

    @Test
    void aStrongExternIsRefusedAtLoadUnlessAKconfigLineSuppliesIt() throws IOException {
        ObjectSpec spec = TestObjects.open("loader_kconfig");
        KconfigSection strong = new KconfigSection("loader_.kconfig", spec.btf().orElseThrow(),
                KconfigExterns.datasec(spec.btf().orElseThrow()).getAsInt(), java.util.Set.of());
        byte[] contents = new byte[4096];

        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> strong.fill(contents, Map.of()));
        assertTrue(e.getMessage().startsWith("kconfig extern 'CONFIG_REACTOR_BPF_NO_SUCH_OPTION' has no value"),
                e.getMessage());
        strong.fill(contents, KernelConfig.parseStrict("CONFIG_REACTOR_BPF_NO_SUCH_OPTION=m"));
    }

    @Test
    void aKconfigLineThatIsNoConfigurationLineIsRefusedNamingIt() throws IOException {
        ObjectSpec spec = TestObjects.open("loader_kconfig");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spec.kconfig("CONFIG_HZ=250\nHZ=250\n"));
        assertEquals("kconfig line 2 'HZ=250' is not CONFIG_NAME=value or '# CONFIG_NAME is not set', as in"
                + " /boot/config-RELEASE", e.getMessage());
        assertTrue(spec.kconfig().isEmpty(), "a refused setting leaves the spec as it was");
    }

    @Test
    void theConfigurationsLinesAreReadAsTheKernelWritesThem() {
        Map<String, String> options = KernelConfig.parse(List.of("#", "# General setup", "CONFIG_HZ=250",
                "CONFIG_LOCALVERSION=\"-x\"", "# CONFIG_KPROBES is not set", "CONFIG_BPF=y", ""));
        assertEquals(Map.of("CONFIG_HZ", "250", "CONFIG_LOCALVERSION", "\"-x\"", "CONFIG_KPROBES", "n",
                "CONFIG_BPF", "y"), options);
    }

    private static long bool(String v) {
        return v.equals("y") || v.equals("m") ? 1 : 0;
    }

    private static long tristate(String v) {
        return switch (v) {
            case "y" -> 1;
            case "m" -> 2;
            default -> 0;
        };
    }
}
