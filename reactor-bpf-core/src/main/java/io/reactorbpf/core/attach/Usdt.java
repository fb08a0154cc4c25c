package io.reactorbpf.core.attach;

import io.reactorbpf.core.internal.elf.ElfFile;
import io.reactorbpf.core.internal.elf.StapsdtNote;
import io.reactorbpf.core.internal.elf.UsdtArgument;
import io.reactorbpf.core.internal.sys.Arch;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.Kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Attaches a {@code BPF_PROG_TYPE_KPROBE} program written with libbpf's {@code bpf/usdt.bpf.h} ({@code SEC("usdt")},
 * {@code BPF_USDT}) to a USDT probe, as libbpf's {@code bpf_program__attach_usdt} does: it reads the probe's sites
 * from the binary's {@code .note.stapsdt} section, writes how to find each argument into the object's
 * {@code __bpf_usdt_specs} map ({@link UsdtSpecs}), and sets a uprobe on every site whose BPF cookie is the spec's
 * id, counting the probe's semaphore (if it has one) while attached. The program's {@code bpf_usdt_arg()},
 * {@code bpf_usdt_arg_cnt()} and {@code bpf_usdt_cookie()} then work. Before Linux 5.15, which has no BPF cookies
 * (and where the loader gives {@code LINUX_HAS_BPF_COOKIE} false, so usdt.bpf.h looks the spec up by address), each
 * site's address in the traced process goes into the object's {@code __bpf_usdt_ip_to_spec_id} map instead, as
 * libbpf does: a site in a position-independent executable or shared object then needs a pid, whose mappings give
 * its address. Reads x86-64 argument specs. Stateless and thread-safe; the returned link belongs to the caller.
 *
 * @since 0.1
 */
public final class Usdt {

    /** e_type of an executable that is not position-independent. */
    private static final int ET_EXEC = 2;

    private Usdt() {
    }

    /**
     * Attaches {@code prog} to every site of {@code target} in process {@code pid} or, with -1, in every process
     * that runs the binary. One link holds the uprobes of all sites (its {@link BpfLink#parts()}); closing it
     * detaches them and gives their spec ids back to {@code specs}. When one site fails, those attached are
     * detached again.
     *
     * @param prog a loaded KPROBE program built with usdt.bpf.h, still owned by the caller
     * @param target the binary and the probe
     * @param pid the process to probe, or -1 for every process
     * @param cookie what the program's bpf_usdt_cookie() returns at this probe
     * @param specs the spec table of the object that defines {@code prog}
     * @return the link, owned by the caller, who closes it to detach
     * @throws AttachTargetNotFoundException when the binary or the probe is missing
     * @throws UnsupportedAttachException when the kernel has no uprobes or no perf event links with BPF cookies,
     *     or the machine is not x86-64
     * @throws AttachException when an argument spec cannot be read, the spec table is full, or a uprobe fails
     */
    public static BpfLink attach(FileDescriptor prog, UsdtTarget target, int pid, long cookie, UsdtSpecs specs) {
        // the loader's rule for LINUX_HAS_BPF_COOKIE, so the programs and their specs agree
        return attach(prog, target, pid, cookie, specs, Kernel.versionCode() >= (5 << 16 | 15 << 8));
    }

    /** As {@link #attach(FileDescriptor, UsdtTarget, int, long, UsdtSpecs)}, by cookie or, without, by address. */
    static BpfLink attach(FileDescriptor prog, UsdtTarget target, int pid, long cookie, UsdtSpecs specs,
                          boolean cookies) {
        if (Arch.current() != Arch.X86_64) {
            throw new UnsupportedAttachException("USDT " + target + ": argument specs are read for x86-64 only, this"
                    + " machine is " + Arch.current());
        }
        ElfFile elf = UprobeTarget.readElf(target.binary(), "USDT");
        List<StapsdtNote> sites = sites(elf, target);
        ProbePmu pmu = ProbePmu.read(ProbePmu.DEVICES, "uprobe", "CONFIG_UPROBES and CONFIG_UPROBE_EVENTS");
        String path = target.binary().toAbsolutePath().toString();
        Map<List<UsdtArgument>, Integer> specIds = new LinkedHashMap<>();
        List<Long> addresses = new ArrayList<>();
        List<BpfLink> parts = new ArrayList<>(sites.size());
        try {
            for (StapsdtNote site : sites) {
                List<UsdtArgument> arguments = arguments(target, site);
                Integer id = specIds.get(arguments);
                if (id == null) {
                    id = specs.add(new UsdtSpec(arguments, cookie), target.toString());
                    specIds.put(arguments, id);
                }
                long offset = fileOffset(elf, target, site.address(), "site");
                long semaphore = site.semaphore() == 0 ? 0 : fileOffset(elf, target, site.semaphore(), "semaphore");
                String description = "usdt " + target + " at 0x" + Long.toHexString(site.address())
                        + (pid < 0 ? "" : " pid " + pid);
                if (cookies) {
                    parts.add(pmu.attachWithCookie(prog, false, path, offset, semaphore, id, pid, description));
                } else {
                    long address = siteAddress(elf, target, site, offset, pid);
                    specs.mapAddress(address, id, target.toString());
                    addresses.add(address);
                    parts.add(pmu.attach(prog, false, path, offset, semaphore, pid, description));
                }
            }
        } catch (RuntimeException e) {
            for (int i = parts.size() - 1; i >= 0; i--) {
                parts.get(i).close();
            }
            addresses.forEach(specs::unmapAddress);
            specIds.values().forEach(specs::remove);
            throw e;
        }
        List<Integer> ids = List.copyOf(specIds.values());
        List<Long> mapped = List.copyOf(addresses);
        return BpfLink.composite("usdt " + target + " (" + sites.size() + (sites.size() == 1 ? " site" : " sites")
                + (pid < 0 ? "" : ", pid " + pid) + ")", parts, () -> {
                    mapped.forEach(specs::unmapAddress);
                    ids.forEach(specs::remove);
                });
    }

    /**
     * Where the program sees {@code site} without cookies: its link-time address in an executable that is not
     * position-independent, else its address in process {@code pid}'s mapping of the file.
     */
    private static long siteAddress(ElfFile elf, UsdtTarget target, StapsdtNote site, long fileOffset, int pid) {
        if (elf.type() == ET_EXEC) {
            return site.address();
        }
        if (pid < 0) {
            throw new UnsupportedAttachException("USDT " + target + ": without BPF cookies (Linux 5.15) a site in a"
                    + " position-independent executable or shared object has an address only in a process: give a"
                    + " pid");
        }
        return ProcessMapping.address(pid, target.binary(), fileOffset);
    }

    private static List<StapsdtNote> sites(ElfFile elf, UsdtTarget target) {
        List<StapsdtNote> all = StapsdtNote.read(elf);
        List<StapsdtNote> sites = all.stream()
                .filter(n -> n.provider().equals(target.provider()) && n.name().equals(target.name())).toList();
        if (sites.isEmpty()) {
            String same = all.stream().filter(n -> n.provider().equals(target.provider())).map(StapsdtNote::name)
                    .distinct().limit(12).collect(Collectors.joining(", "));
            throw new AttachTargetNotFoundException("no USDT probe " + target.provider() + ":" + target.name() + " in "
                    + target.binary() + (all.isEmpty() ? " (it has no " + StapsdtNote.SECTION + " section)"
                    : same.isEmpty() ? " (it has " + all.size() + " probes, none of provider " + target.provider() + ")"
                    : " (provider " + target.provider() + " has: " + same + ", ...)")
                    + "; list its probes with: readelf -n " + target.binary());
        }
        return sites;
    }

    private static List<UsdtArgument> arguments(UsdtTarget target, StapsdtNote site) {
        try {
            return UsdtArgument.parse(site.arguments());
        } catch (IllegalArgumentException e) {
            throw new AttachException("USDT " + target + " at 0x" + Long.toHexString(site.address()) + ": "
                    + e.getMessage(), e);
        }
    }

    private static long fileOffset(ElfFile elf, UsdtTarget target, long address, String what) {
        OptionalLong offset = elf.fileOffsetOf(address);
        if (offset.isEmpty()) {
            throw new AttachException("USDT " + target + ": the " + what + " address 0x" + Long.toHexString(address)
                    + " lies in no loadable segment of " + target.binary());
        }
        return offset.getAsLong();
    }
}
