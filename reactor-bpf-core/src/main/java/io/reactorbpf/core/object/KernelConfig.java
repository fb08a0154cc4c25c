package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.Kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The values {@code __kconfig} externs take on a kernel: its {@code CONFIG_*} options, read from
 * {@code /proc/config.gz} or else {@code /boot/config-RELEASE} ({@code # CONFIG_X is not set} is {@code n}), and
 * the {@code LINUX_*} values libbpf defines: {@code LINUX_KERNEL_VERSION} (the version code),
 * {@code LINUX_HAS_BPF_COOKIE} ({@code y} from Linux 5.15, which added {@code bpf_get_attach_cookie}) and
 * {@code LINUX_HAS_SYSCALL_WRAPPER} ({@code y} when {@code /proc/kallsyms} has the architecture's syscall
 * wrapper, {@code __x64_sys_bpf} on x86_64). Immutable; the running kernel's is read once, on first use.
 */
final class KernelConfig {

    private static final List<String> LINUX = List.of("LINUX_KERNEL_VERSION", "LINUX_HAS_BPF_COOKIE",
            "LINUX_HAS_SYSCALL_WRAPPER");
    private static volatile KernelConfig running;

    private final Map<String, String> options;
    /** Where the options came from, for errors; empty when no configuration was found. */
    private final String source;
    private final int versionCode;
    private final boolean syscallWrapper;

    KernelConfig(Map<String, String> options, String source, int versionCode, boolean syscallWrapper) {
        this.options = Map.copyOf(options);
        this.source = source;
        this.versionCode = versionCode;
        this.syscallWrapper = syscallWrapper;
    }

    /** The running kernel's. */
    static KernelConfig running() {
        KernelConfig c = running;
        if (c == null) {
            String release = Kernel.release();
            Map<String, String> options = new HashMap<>();
            String source = "";
            for (Path p : List.of(Path.of("/proc/config.gz"), Path.of("/boot/config-" + release))) {
                if (Files.isReadable(p)) {
                    options = parse(p);
                    source = p.toString();
                    break;
                }
            }
            c = new KernelConfig(options, source, Kernel.versionCode(), hasSyscallWrapper());
            running = c;
        }
        return c;
    }

    /**
     * This configuration with {@code overrides} (options as {@link #parse(List)} gives them) added and taking
     * precedence, as libbpf's {@code kconfig} open option augments and overrides the kernel's.
     */
    KernelConfig overriddenBy(Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new HashMap<>(options);
        merged.putAll(overrides);
        String from = "the spec's kconfig lines" + (source.isEmpty() ? "" : " and " + source);
        return new KernelConfig(merged, from, versionCode, syscallWrapper);
    }

    /** The value of {@code name} as the configuration writes it (y, m, n, a number, a quoted string); empty if none. */
    Optional<String> value(String name) {
        return switch (name) {
            case "LINUX_KERNEL_VERSION" -> Optional.of(Integer.toString(versionCode));
            case "LINUX_HAS_BPF_COOKIE" -> Optional.of(versionCode >= (5 << 16 | 15 << 8) ? "y" : "n");
            case "LINUX_HAS_SYSCALL_WRAPPER" -> Optional.of(syscallWrapper ? "y" : "n");
            default -> name.startsWith("CONFIG_") ? Optional.ofNullable(options.get(name)) : Optional.empty();
        };
    }

    /** Why {@code name} has no value: what was looked at. */
    String describe(String name) {
        if (!name.startsWith("CONFIG_")) {
            return name + " is neither a CONFIG_ option nor one of " + LINUX;
        }
        return source.isEmpty() ? "no kernel configuration was found (/proc/config.gz, /boot/config-"
                + Kernel.release() + ")" : source + " does not mention " + name;
    }

    /** Parses {@code CONFIG_X=value} and {@code # CONFIG_X is not set} lines. */
    static Map<String, String> parse(List<String> lines) {
        Map<String, String> options = new HashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("# CONFIG_") && line.endsWith(" is not set")) {
                options.put(line.substring(2, line.length() - " is not set".length()), "n");
            } else if (line.startsWith("CONFIG_")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    options.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        return options;
    }

    /**
     * Parses configuration lines a user gives, as {@link #parse(List)} does, refusing any line that is neither
     * {@code CONFIG_X=value}, {@code # CONFIG_X is not set}, a comment nor blank.
     *
     * @throws IllegalArgumentException naming the first such line
     */
    static Map<String, String> parseStrict(String text) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            boolean option = line.startsWith("CONFIG_") && line.indexOf('=') > "CONFIG_".length();
            if (!option && !line.isEmpty() && !line.startsWith("#")) {
                throw new IllegalArgumentException("kconfig line " + (i + 1) + " '" + lines.get(i) + "' is not"
                        + " CONFIG_NAME=value or '# CONFIG_NAME is not set', as in /boot/config-RELEASE");
            }
        }
        return parse(lines);
    }

    private static Map<String, String> parse(Path file) {
        try (InputStream in = Files.newInputStream(file);
             InputStream plain = file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
             BufferedReader r = new BufferedReader(new InputStreamReader(plain, StandardCharsets.UTF_8))) {
            return parse(r.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel configuration " + file, e);
        }
    }

    private static boolean hasSyscallWrapper() {
        String arch = System.getProperty("os.arch");
        String wrapper = (arch.equals("amd64") || arch.equals("x86_64") ? "__x64_sys_bpf"
                : arch.equals("aarch64") ? "__arm64_sys_bpf" : "__" + arch + "_sys_bpf");
        try (BufferedReader r = Files.newBufferedReader(Path.of("/proc/kallsyms"), StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.endsWith(" " + wrapper) || line.contains(" " + wrapper + "\t")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
