package io.reactorbpf.core.internal.elf;

/** Human names for ELF header values, so that a wrong file is reported as what it is. */
final class ElfNames {

    private ElfNames() {
    }

    /** E.g. "an x86-64 executable". */
    static String describe(int eType, int eMachine) {
        String machine = switch (eMachine) {
            case 3 -> "i386";
            case 8 -> "MIPS";
            case 20 -> "PowerPC";
            case 21 -> "PowerPC64";
            case 22 -> "S/390";
            case 40 -> "ARM";
            case 62 -> "x86-64";
            case 183 -> "AArch64";
            case 243 -> "RISC-V";
            case 258 -> "LoongArch";
            default -> "machine " + eMachine;
        };
        String kind = switch (eType) {
            case 1 -> "relocatable object";
            case 2 -> "executable";
            case 3 -> "shared object or position-independent executable";
            case 4 -> "core dump";
            default -> "ELF file of type " + eType;
        };
        String phrase = machine + " " + kind;
        boolean vowel = "aeiouAEIOU".indexOf(phrase.charAt(0)) >= 0 || phrase.startsWith("x86") || phrase.startsWith("S/");
        return (vowel ? "an " : "a ") + phrase;
    }
}
