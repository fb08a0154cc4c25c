package io.reactorbpf.core.object;

/**
 * An instruction that the loader patches: a map or global data reference (an ld_imm64), a call of a
 * subprogram, a subprogram's address (an ld_imm64 of a callback), or a use of a {@code __ksym} extern (an
 * ld_imm64 of its address, or a kfunc call).
 *
 * @param offset        byte offset of the instruction in its section
 * @param mapName       the map referred to (MAP and DATA), else null
 * @param valueOffset   for DATA, the byte offset inside the map's value
 * @param targetSection for CALL and FUNC_ADDR, the section index of the called code
 * @param targetInsn    for CALL and FUNC_ADDR, the instruction index in that section
 * @param extern        for KSYM and KFUNC_CALL, the extern's name, else null
 */
record CodeReference(Kind kind, int offset, String mapName, long valueOffset, int targetSection, int targetInsn,
                     String extern) {

    enum Kind { MAP, DATA, CALL, FUNC_ADDR, KSYM, KFUNC_CALL }

    static CodeReference map(int offset, String mapName) {
        return new CodeReference(Kind.MAP, offset, mapName, 0, -1, -1, null);
    }

    static CodeReference data(int offset, String mapName, long valueOffset) {
        return new CodeReference(Kind.DATA, offset, mapName, valueOffset, -1, -1, null);
    }

    static CodeReference code(Kind kind, int offset, int targetSection, int targetInsn) {
        return new CodeReference(kind, offset, null, 0, targetSection, targetInsn, null);
    }

    /** A KSYM (ld_imm64) or KFUNC_CALL use of extern {@code name}. */
    static CodeReference extern(Kind kind, int offset, String name) {
        return new CodeReference(kind, offset, null, 0, -1, -1, name);
    }
}
