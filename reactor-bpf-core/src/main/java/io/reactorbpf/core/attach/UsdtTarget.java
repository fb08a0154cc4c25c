package io.reactorbpf.core.attach;

import java.nio.file.Path;

/**
 * Where a USDT program goes: every site of the probe {@code provider:name} that a binary's {@code .note.stapsdt}
 * section lists, as SystemTap's {@code sys/sdt.h} (and DTrace-compatible builds such as HotSpot's) record them.
 * Immutable.
 *
 * @param binary   the executable or shared object holding the probe, such as {@code .../lib/server/libjvm.so}
 * @param provider the probe's provider, such as {@code hotspot}
 * @param name     the probe's name, such as {@code gc__begin}
 * @since 0.1
 */
public record UsdtTarget(Path binary, String provider, String name) {

    /**
     * Checks the fields; the binary is only read when attaching.
     *
     * @param binary   the executable or shared object
     * @param provider the provider, not empty
     * @param name     the probe's name, not empty
     * @throws AttachException when one is missing or empty
     */
    public UsdtTarget {
        if (binary == null || provider == null || provider.isEmpty() || name == null || name.isEmpty()) {
            throw new AttachException("a USDT target needs a binary, a provider and a probe name; got " + binary
                    + ":" + provider + ":" + name);
        }
    }

    /**
     * Parses {@code PATH:PROVIDER:NAME}, as libbpf's {@code SEC("usdt/PATH:PROVIDER:NAME")} writes it; a PATH
     * without a '/' is looked up as {@link UprobeTarget#resolve} does ({@code libc.so.6:libc:setjmp}).
     *
     * @param spec the target as a usdt section writes it after {@code usdt/}
     * @return the target
     * @throws AttachTargetNotFoundException when a PATH without '/' is found nowhere
     * @throws AttachException when {@code spec} is not PATH:PROVIDER:NAME
     */
    public static UsdtTarget parse(String spec) {
        int nameColon = spec.lastIndexOf(':');
        int providerColon = nameColon <= 0 ? -1 : spec.lastIndexOf(':', nameColon - 1);
        if (providerColon <= 0 || nameColon == providerColon + 1 || nameColon == spec.length() - 1) {
            throw new AttachException("USDT target '" + spec + "' is not PATH:PROVIDER:NAME (e.g."
                    + " /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so:hotspot:gc__begin)");
        }
        return new UsdtTarget(UprobeTarget.resolve(spec.substring(0, providerColon)),
                spec.substring(providerColon + 1, nameColon), spec.substring(nameColon + 1));
    }

    @Override
    public String toString() {
        return binary + ":" + provider + ":" + name;
    }
}
