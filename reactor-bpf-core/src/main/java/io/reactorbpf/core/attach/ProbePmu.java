package io.reactorbpf.core.attach;

import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.internal.sys.NativeBuffer;
import io.reactorbpf.core.sys.PerfEventAttr;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's uprobe or kprobe perf PMU (/sys/bus/event_source/devices/NAME): its dynamic event type and
 * the config bit that turns a probe into a return probe. Immutable; read again for every attachment, which
 * is cheap and follows a PMU that appears later.
 */
final class ProbePmu {

    /** Where the kernel lists its perf PMUs. */
    static final Path DEVICES = Path.of("/sys/bus/event_source/devices");

    private static final Pattern CONFIG_BIT = Pattern.compile("config:(\\d+)");

    private final String name;
    private final int type;
    private final int retprobeBit;

    private ProbePmu(String name, int type, int retprobeBit) {
        this.name = name;
        this.type = type;
        this.retprobeBit = retprobeBit;
    }

    /**
     * Reads PMU {@code name} under {@code devices}. Throws an {@link UnsupportedAttachException} naming the
     * kernel options ({@code kernelConfig}) when the kernel has no such PMU.
     */
    static ProbePmu read(Path devices, String name, String kernelConfig) {
        Path dir = devices.resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new UnsupportedAttachException("this kernel has no " + name + " support (no " + dir + "; it needs "
                    + kernelConfig + ")");
        }
        Path typeFile = dir.resolve("type");
        int type;
        try {
            type = Integer.parseInt(Files.readString(typeFile).strip());
        } catch (IOException | NumberFormatException e) {
            throw new AttachException("cannot read the " + name + " PMU type from " + typeFile + ": " + e.getMessage(), e);
        }
        return new ProbePmu(name, type, retprobeBit(dir.resolve("format").resolve("retprobe")));
    }

    /** The bit number in {@code config} from a format file such as "config:0"; -1 when the file is absent. */
    private static int retprobeBit(Path format) {
        String text;
        try {
            text = Files.readString(format).strip();
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new AttachException("cannot read " + format + ": " + e.getMessage(), e);
        }
        Matcher m = CONFIG_BIT.matcher(text);
        if (!m.matches() || Integer.parseInt(m.group(1)) > 63) {
            throw new AttachException(format + " says '" + text + "'; expected a single config bit such as config:0");
        }
        return Integer.parseInt(m.group(1));
    }

    /** The dynamic perf event type to pass in perf_event_attr.type. */
    int type() {
        return type;
    }

    /** The perf_event_attr.config of an entry ({@code retprobe} false) or return probe. */
    long config(boolean retprobe) {
        if (!retprobe) {
            return 0;
        }
        if (retprobeBit < 0) {
            throw new UnsupportedAttachException("this kernel's " + name + " PMU has no retprobe format (no "
                    + DEVICES.resolve(name).resolve("format/retprobe") + "), so it cannot make return probes");
        }
        return 1L << retprobeBit;
    }

    /**
     * Opens a probe event at {@code place} (a path for uprobes, a function for kprobes; held in native memory
     * until perf_event_open returns) plus {@code offset}, for {@code pid} or every process (-1), and binds
     * {@code prog} to it.
     */
    BpfLink attach(FileDescriptor prog, boolean retprobe, String place, long offset, int pid, String target) {
        NativeBuffer placeString = NativeBuffer.cString(place);
        PerfEventAttr attr = PerfEventAttr.of(type, config(retprobe)).config1(placeString.address()).config2(offset);
        try {
            return PerfEventBinding.attach(prog, attr, pid < 0 ? -1 : pid, pid < 0 ? 0 : -1, target,
                    AttachMode.PREFER_LINK);
        } finally {
            Reference.reachabilityFence(placeString);
        }
    }
}
