package io.reactorbpf.core.sys;

import io.reactorbpf.core.BpfException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The effective capabilities of this process (CapEff in /proc/self/status) and whether they are enough to
 * load BPF programs and open perf events.
 *
 * @since 0.1
 */
public final class Privileges {

    private final long effective;

    private Privileges(long effective) {
        this.effective = effective;
    }

    /**
     * This process's effective capabilities, read now; they can change later (capset, setuid).
     *
     * @return the capabilities
     * @throws java.io.UncheckedIOException when {@code /proc/self/status} cannot be read
     * @throws BpfException when it has no CapEff line
     */
    public static Privileges current() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String line : lines) {
                if (line.startsWith("CapEff:")) {
                    return fromCapEff(line.substring("CapEff:".length()).strip());
                }
            }
            throw new BpfException("/proc/self/status has no CapEff line");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/status", e);
        }
    }

    /**
     * Capabilities from a CapEff hex mask.
     *
     * @param hex the mask as /proc/PID/status prints it, such as {@code 000001ffffffffff}
     * @return the capabilities
     * @throws NumberFormatException when {@code hex} is not a hexadecimal 64-bit number
     */
    public static Privileges fromCapEff(String hex) {
        return new Privileges(Long.parseUnsignedLong(hex, 16));
    }

    /**
     * Whether the capability is effective.
     *
     * @param c the capability
     * @return true when its bit is set in CapEff
     */
    public boolean has(Capability c) {
        return (effective & (1L << c.bit())) != 0;
    }

    /**
     * What is missing to load programs, create maps and open perf events: empty when CAP_SYS_ADMIN is held,
     * or CAP_BPF and CAP_PERFMON both are.
     *
     * @return a new set, owned by the caller; CAP_BPF and CAP_PERFMON where they are missing
     */
    public Set<Capability> missingForBpf() {
        if (has(Capability.CAP_SYS_ADMIN)) {
            return EnumSet.noneOf(Capability.class);
        }
        EnumSet<Capability> missing = EnumSet.noneOf(Capability.class);
        if (!has(Capability.CAP_BPF)) {
            missing.add(Capability.CAP_BPF);
        }
        if (!has(Capability.CAP_PERFMON)) {
            missing.add(Capability.CAP_PERFMON);
        }
        return missing;
    }

    /**
     * Throws a {@link MissingPrivilegeException} naming each missing capability, unless none is missing.
     *
     * @throws MissingPrivilegeException when {@link #missingForBpf()} is not empty
     */
    public void requireBpf() {
        Set<Capability> missing = missingForBpf();
        if (!missing.isEmpty()) {
            throw new MissingPrivilegeException(missing);
        }
    }
}
