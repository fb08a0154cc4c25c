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
 */
public final class Privileges {

    private final long effective;

    private Privileges(long effective) {
        this.effective = effective;
    }

    /** This process's effective capabilities. */
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

    /** Capabilities from a CapEff hex mask. */
    public static Privileges fromCapEff(String hex) {
        return new Privileges(Long.parseUnsignedLong(hex, 16));
    }

    public boolean has(Capability c) {
        return (effective & (1L << c.bit())) != 0;
    }

    /**
     * What is missing to load programs, create maps and open perf events: empty when CAP_SYS_ADMIN is held,
     * or CAP_BPF and CAP_PERFMON both are.
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

    /** Throws a {@link MissingPrivilegeException} naming each missing capability, unless none is missing. */
    public void requireBpf() {
        Set<Capability> missing = missingForBpf();
        if (!missing.isEmpty()) {
            throw new MissingPrivilegeException(missing);
        }
    }
}
