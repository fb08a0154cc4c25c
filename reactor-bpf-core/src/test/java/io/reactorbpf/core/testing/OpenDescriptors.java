package io.reactorbpf.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The file descriptors and perf ring mappings this process has open, as /proc/self/fd and /proc/self/maps list
 * them: what leak tests compare.
 */
public final class OpenDescriptors {

    private OpenDescriptors() {
    }

    /** How many descriptors are open now. */
    public static long count() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The descriptors of kernel objects open now, by kind as /proc/self/fd names them ({@code anon_inode:bpf-map},
     * {@code anon_inode:[perf_event]}, {@code anon_inode:[eventpoll]}, ...): what a reader leaks if it leaks, and
     * nothing the JVM opens on its own (class files, jars), so leak tests compare these exactly and a failure names
     * the kind that leaked.
     */
    public static Map<String, Long> kernelObjects() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(OpenDescriptors::target)
                    .filter(t -> t.startsWith("anon_inode:"))
                    .collect(Collectors.groupingBy(t -> t, TreeMap::new, Collectors.counting()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return "closed";  // the descriptor went away while the directory was listed (the listing's own)
        }
    }

    /** How many perf event mappings (perf rings) are mapped now. */
    public static long perfMappings() {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            return maps.filter(l -> l.contains("perf_event")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
