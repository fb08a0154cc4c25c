package io.reactorbpf.examples.run;

import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.internal.sys.PseudoFs;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.reactorbpf.examples.run.RunCommandTest.assertFailsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static io.reactorbpf.examples.run.RunCommandTest.object;

/**
 * {@code run} where the machine does not let it work: no privileges, no tracefs. Each gives one line saying what
 * is missing and how to get it.
 */
@KernelTest
class RunEnvironmentTest {

    @Test
    void aProcessWithoutPrivilegesIsToldHowToGetThem(@TempDir Path dir) throws Exception {
        // the user nobody cannot read the build's class path under root's home: give it a readable copy
        String classPath = readableCopy(dir);
        Path probe = Files.copy(Path.of(object("getpgid_probe.bpf.o")), dir.resolve("probe.bpf.o"));
        readable(probe);

        assertFailsWith(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"), classPath,
                List.of("run", probe.toString()),
                "]: run as root, or grant CAP_BPF and CAP_PERFMON");
    }

    @Test
    void aUserWithTheBpfCapabilitiesWhomTracefsKeepsOutIsToldThatNotThatItIsUnmounted(@TempDir Path dir)
            throws Exception {
        String classPath = readableCopy(dir);
        Path probe = Files.copy(Path.of(object("getpgid_probe.bpf.o")), dir.resolve("probe.bpf.o"));
        readable(probe);
        Path tracefs = PseudoFs.TRACEFS.mountPoint();  // mounted by now, as the loader does on a fresh machine
        String mode = Integer.toOctalString((Integer) Files.getAttribute(tracefs, "unix:mode") & 07777);
        // tracefs is mounted 0700 here (the kernel's default); a process that may not search it is kept out
        assertEquals("700", mode, "the test needs tracefs closed to others, as the kernel mounts it");

        assertFailsWith(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        "--inh-caps=+bpf,+perfmon", "--ambient-caps=+bpf,+perfmon", "--"), classPath,
                List.of("run", probe.toString()),
                "tracefs is mounted at /sys/kernel/tracing (mode 700, owner uid 0; this process has uid 65534), but"
                        + " this process may not look inside it: it is not the owner and lacks CAP_DAC_READ_SEARCH."
                        + " Run as root, grant CAP_DAC_READ_SEARCH, or open the mount to others as root: mount -o"
                        + " remount,mode=755 /sys/kernel/tracing");
    }

    @Test
    void withoutTracefsTheMessageSaysHowToMountIt() throws Exception {
        // a private mount namespace without tracefs (or debugfs), and no CAP_SYS_ADMIN to mount it back
        List<String> wrapper = List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "umount -l /sys/kernel/tracing 2>/dev/null; umount -l /sys/kernel/debug 2>/dev/null; "
                        + "exec setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin \"$@\"", "sh");

        assertFailsWith(wrapper, System.getProperty("java.class.path"),
                List.of("run", object("getpgid_probe.bpf.o")),
                "tracefs is not mounted and this process lacks CAP_SYS_ADMIN to mount it. Mount it as root with:"
                        + " mount -t tracefs tracefs /sys/kernel/tracing");
    }

    @Test
    void aRingTheLockedMemoryLimitRefusesNamesTheLimitsAndTheWaysOut() throws Exception {
        // 64 KiB of RLIMIT_MEMLOCK and no CAP_IPC_LOCK: a 4 MiB ring is beyond the user's perf allowance and the limit
        List<String> wrapper = List.of("prlimit", "--memlock=65536:65536",
                "setpriv", "--bounding-set=-ipc_lock", "--inh-caps=-ipc_lock", "--");
        String perCpu = Files.readAllLines(Path.of("/proc/sys/kernel/perf_event_mlock_kb")).get(0).strip();

        assertFailsWith(wrapper, System.getProperty("java.class.path"),
                List.of("run", object("getpgid_probe.bpf.o"), "--pages", "1024"),
                "KiB for the perf ring of CPU 0 (1024 pages and the header page; PerfBufferOptions.pages sets the"
                        + " size): the locked-memory limit refused it. This user's perf rings may lock kernel.perf_event_mlock_kb ("
                        + perCpu + " KiB) per online CPU (" + CpuSet.online().size()
                        + " online), and this process 64 KiB beyond that (RLIMIT_MEMLOCK), as it lacks CAP_IPC_LOCK."
                        + " Raise the limit (ulimit -l, or LimitMEMLOCK= for a systemd service), raise"
                        + " kernel.perf_event_mlock_kb, grant CAP_IPC_LOCK, or use smaller rings (fewer pages)");
    }

    private static String readableCopy(Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = dir.resolve("cp" + n++ + (Files.isDirectory(source) ? "" : ".jar"));
            copyTree(source, target);
            entries.add(target.toString());
        }
        readable(dir);
        return String.join(File.pathSeparator, entries);
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            paths.forEach(p -> {
                Path to = target.resolve(source.relativize(p).toString());
                try {
                    Files.copy(p, to);
                    readable(to);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static void readable(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
    }
}
