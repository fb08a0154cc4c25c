package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.internal.elf.ElfFile;
import io.reactorbpf.core.internal.elf.ElfSection;
import io.reactorbpf.core.internal.elf.ElfSymbol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Completes the DATASEC types clang writes: it leaves a data section's size and its variables' offsets 0 for the
 * loader to fill in from the ELF section headers and symbol table, and the kernel rejects them that way. Stateless.
 */
final class DatasecLayout {

    private DatasecLayout() {
    }

    static Btf fix(Btf btf, ElfFile elf, String object) {
        Btf out = btf;
        for (int id = btf.firstTypeId(); id <= btf.typeCount(); id++) {
            if (!(btf.type(id) instanceof BtfType.Datasec d)) {
                continue;
            }
            ElfSection section = elf.section(d.name()).orElse(null);
            if (section == null) {
                continue;
            }
            GlobalDataLimit.check(object, section);
            List<BtfType.VarSecinfo> vars = new ArrayList<>(d.vars().size());
            for (BtfType.VarSecinfo v : d.vars()) {
                String name = btf.type(v.type()).name();
                long offset = v.offset();
                for (ElfSymbol sym : elf.symbols()) {
                    if (sym.sectionIndex() == section.index() && sym.name().equals(name)
                            && sym.type() != ElfSymbol.Type.SECTION) {
                        offset = sym.value();
                        break;
                    }
                }
                long size = Integer.toUnsignedLong(v.size());
                if (offset < 0 || offset > section.size() || size > section.size() - offset) {
                    throw new ObjectFormatException("object '" + object + "' section '" + d.name() + "': variable '"
                            + name + "' at offset " + offset + " size " + size + " lies outside the section's "
                            + section.size() + " bytes");
                }
                vars.add(new BtfType.VarSecinfo(v.type(), (int) offset, v.size()));
            }
            vars.sort(Comparator.comparingInt(BtfType.VarSecinfo::offset));
            out = out.replace(id, new BtfType.Datasec(d.name(), (int) section.size(), vars));
        }
        return out;
    }
}
