package io.reactorbpf.examples.run;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.object.ObjectFormatException;
import io.reactorbpf.core.object.MapSpec;
import io.reactorbpf.core.object.ObjectSpec;
import io.reactorbpf.core.object.ProgramSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The {@code run} options ({@code @Mixin}) that make, before load, the choices a libbpf tool makes in its own code:
 * which programs to load ({@code --no-autoload}), where to attach them ({@code --attach}, {@code --pid}) and how big the maps are
 * ({@code --max-entries}, {@code --value-size}), and which kernel's types CO-RE relocates against ({@code --btf}) and which configuration the {@code __kconfig} externs read
 * ({@code --kconfig}). Set by picocli on the command's thread, then applied to the opened
 * object on that thread before anything is loaded.
 */
public final class LoadChoices {

    @Option(names = "--no-autoload", paramLabel = "PROG",
            description = "Do not load (nor attach) program PROG, e.g. one on a tracepoint this kernel lacks. Repeatable.")
    List<String> notLoaded = new ArrayList<>();

    @Option(names = "--attach", paramLabel = "PROG=KIND:TARGET", converter = AttachChoiceConverter.class,
            description = "Attach PROG as KIND (tracepoint, raw_tp, kprobe, kretprobe, uprobe, uretprobe, usdt,"
                    + " perf_event) to TARGET (GROUP/NAME, FUNCTION[+OFFSET], BINARY:FUNCTION[+OFFSET],"
                    + " BINARY:PROVIDER:NAME, EVENT@HZ) instead of where its section says. Repeatable.")
    List<AttachChoice> attach = new ArrayList<>();

    @Option(names = "--pid", paramLabel = "PID",
            description = "Fire uprobes, uretprobes and USDT probes only in process PID, as a libbpf tool's -p does"
                    + " (other programs filter processes themselves, e.g. by a global set with --set).")
    int pid = -1;

    @Option(names = "--max-entries", paramLabel = "MAP=N", converter = MapSizeConverter.class,
            description = "Create map MAP with max_entries N (a ring buffer's size in bytes). Repeatable.")
    List<MapSize> maxEntries = new ArrayList<>();

    @Option(names = "--value-size", paramLabel = "MAP=N", converter = MapSizeConverter.class,
            description = "Create map MAP with value_size N bytes. Repeatable.")
    List<MapSize> valueSizes = new ArrayList<>();

    @Option(names = "--btf", paramLabel = "FILE",
            description = "Relocate CO-RE against the kernel BTF in FILE (e.g. BTFHub's for a kernel without"
                    + " /sys/kernel/btf/vmlinux) instead of the running kernel's.")
    Path btf;

    @Option(names = "--kconfig", paramLabel = "FILE",
            description = "Give the object's CONFIG_ __kconfig externs the values in FILE (a kernel configuration as"
                    + " /boot/config-RELEASE holds it, or gzipped as /proc/config.gz) over the running kernel's.")
    Path kconfig;

    /**
     * Applies the choices to {@code spec}. Throws an {@link ObjectFormatException} listing the object's programs or
     * maps for a name it does not have, for a program both turned off and attached, or naming the option to use for
     * a map size the object leaves for its tool to set and no option set; an
     * {@link io.reactorbpf.core.object.InvalidSpecException} for a size or attach target the map or program cannot
     * take; a {@link io.reactorbpf.core.btf.BtfFormatException} naming a {@code --btf} file that is missing or not BTF; an
     * {@link IllegalArgumentException} naming a {@code --kconfig} file that is missing or holds a line that is no
     * configuration line.
     */
    void applyTo(ObjectSpec spec) {
        if (btf != null) {
            spec.coreTarget(Btf.read(btf));
        }
        if (kconfig != null) {
            spec.kconfig(readKconfig(kconfig));
        }
        for (String name : notLoaded) {
            spec.program(name).autoload(false);
        }
        for (AttachChoice a : attach) {
            if (notLoaded.contains(a.program())) {
                throw new ObjectFormatException("program '" + a.program() + "' is given both --no-autoload and"
                        + " --attach; keep one");
            }
            a.applyTo(spec);
        }
        for (MapSize s : maxEntries) {
            spec.map(s.map()).maxEntries(s.size());
        }
        for (MapSize s : valueSizes) {
            spec.map(s.map()).valueSize(s.size());
        }
        for (MapSpec m : spec.maps()) {
            if (m.autocreate()) {
                m.unsetSize().ifPresent(size -> {
                    throw new ObjectFormatException("map '" + m.name() + "' has " + size + " 0: the object leaves it"
                            + " for its tool to set; give it with --" + (size.equals("max_entries") ? "max-entries"
                            : "value-size") + " " + m.name() + "=N");
                });
            }
        }
    }

    /** Whether {@code --max-entries} sizes map {@code name}. */
    boolean sizesEntriesOf(String name) {
        return maxEntries.stream().anyMatch(s -> s.map().equals(name));
    }

    /** Why each program of {@code spec} that {@code object} did not load was left out, one line per program. */
    List<String> notLoadedReasons(ObjectSpec spec, BpfObject object) {
        List<String> reasons = new ArrayList<>();
        for (String name : object.notLoaded()) {
            ProgramSpec p = spec.program(name);
            reasons.add("program '" + name + "' in section '" + p.section().name() + "': its autoload is off ("
                    + (notLoaded.contains(name) ? "--no-autoload" : "its section starts with '?'") + ")");
        }
        return reasons;
    }

    private static String readKconfig(Path file) {
        try (InputStream in = Files.newInputStream(file);
             InputStream plain = file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in) {
            return new String(plain.readAllBytes(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no kernel configuration at " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel configuration " + file + ": " + e.getMessage(), e);
        }
    }
}
