package io.reactorbpf.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** How many perf event mappings (perf rings) are mapped now. */
    public static long perfMappings() {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            return maps.filter(l -> l.contains("perf_event")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
