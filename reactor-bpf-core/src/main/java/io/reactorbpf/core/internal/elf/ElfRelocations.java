package io.reactorbpf.core.internal.elf;

import java.util.List;

/**
 * A {@code SHT_REL} section: its entries and the section they patch. Immutable.
 *
 * @param section       the relocation section itself (e.g. ".reltracepoint/sched/sched_switch")
 * @param targetSection the section its entries patch ({@code sh_info})
 * @param entries       the relocations in file order
 */
public record ElfRelocations(ElfSection section, ElfSection targetSection, List<ElfRelocation> entries) {

    public ElfRelocations {
        entries = List.copyOf(entries);
    }
}
