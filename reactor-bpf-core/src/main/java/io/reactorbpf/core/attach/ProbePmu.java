package io.reactorbpf.core.attach;

import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.internal.sys.NativeBuffer;
import io.reactorbpf.core.sys.PerfEventAttr;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
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
    private static final Pattern CONFIG_HIGH_BITS = Pattern.compile("config:(\\d+)-63");

    private final String name;
    private final int type;
    private final int retprobeBit;
    /** Where ref_ctr_offset starts in config (uprobes, Linux 4.20); -1 when the PMU has no such field. */
    private final int refCtrShift;

    private ProbePmu(String name, int type, int retprobeBit, int refCtrShift) {
        this.name = name;
        this.type = type;
        this.retprobeBit = retprobeBit;
        this.refCtrShift = refCtrShift;
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
        Path formats = dir.resolve("format");
        return new ProbePmu(name, type, configBit(formats.resolve("retprobe"), CONFIG_BIT, "a single config bit such"
                + " as config:0"), configBit(formats.resolve("ref_ctr_offset"), CONFIG_HIGH_BITS, "config:N-63"));
    }

    /** The (first) bit number in {@code config} a format file gives, such as "config:0"; -1 when it is absent. */
    private static int configBit(Path format, Pattern pattern, String expected) {
        String text;
        try {
            text = Files.readString(format).strip();
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new AttachException("cannot read " + format + ": " + e.getMessage(), e);
        }
        Matcher m = pattern.matcher(text);
        if (!m.matches() || Integer.parseInt(m.group(1)) > 63) {
            throw new AttachException(format + " says '" + text + "'; expected " + expected);
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * The config bits that make the kernel count a USDT semaphore at file offset {@code semaphore} (its
     * ref_ctr_offset) up while the probe is attached; 0 for none.
     */
    long refCtr(long semaphore) {
        if (semaphore == 0) {
            return 0;
        }
        if (refCtrShift < 0) {
            throw new UnsupportedAttachException("this kernel's " + name + " PMU has no ref_ctr_offset format (no "
                    + DEVICES.resolve(name).resolve("format/ref_ctr_offset") + ", Linux 4.20), so it cannot count a"
                    + " USDT semaphore");
        }
        if (semaphore < 0 || semaphore >>> (64 - refCtrShift) != 0) {
            throw new AttachException("semaphore file offset " + semaphore + " does not fit ref_ctr_offset");
        }
        return semaphore << refCtrShift;
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
        return attach(prog, retprobe, place, offset, 0, pid, target);
    }

    /** As {@link #attach(FileDescriptor, boolean, String, long, int, String)}, counting a semaphore (see {@link #refCtr}). */
    BpfLink attach(FileDescriptor prog, boolean retprobe, String place, long offset, long semaphore, int pid,
                   String target) {
        return attach(prog, retprobe, place, offset, semaphore, pid, target, OptionalLong.empty());
    }

    /**
     * As {@link #attach(FileDescriptor, boolean, String, long, long, int, String)} through a perf event link carrying
     * a BPF cookie (Linux 5.15).
     */
    BpfLink attachWithCookie(FileDescriptor prog, boolean retprobe, String place, long offset, long semaphore,
                             long cookie, int pid, String target) {
        return attach(prog, retprobe, place, offset, semaphore, pid, target, OptionalLong.of(cookie));
    }

    private BpfLink attach(FileDescriptor prog, boolean retprobe, String place, long offset, long semaphore, int pid,
                           String target, OptionalLong cookie) {
        long config = config(retprobe) | refCtr(semaphore);
        NativeBuffer placeString = NativeBuffer.cString(place);
        PerfEventAttr attr = PerfEventAttr.of(type, config).config1(placeString.address()).config2(offset);
        try {
            int forPid = pid < 0 ? -1 : pid;
            int onCpu = pid < 0 ? 0 : -1;
            return cookie.isPresent()
                    ? PerfEventBinding.attachWithCookie(prog, attr, forPid, onCpu, target, cookie.getAsLong())
                    : PerfEventBinding.attach(prog, attr, forPid, onCpu, target, AttachMode.PREFER_LINK);
        } finally {
            Reference.reachabilityFence(placeString);
        }
    }
}
