package io.reactorbpf.core.object;

/**
 * One function in an executable section: a program's entry or a subprogram.
 *
 * @param offset byte offset of its first instruction in the section
 * @param size   its size in bytes
 * @param hidden a global or weak function of hidden or internal visibility ({@code __hidden}), which the verifier
 *               may check with its caller's context as it checks static functions
 */
record CodeFunction(String name, int sectionIndex, String sectionName, int offset, int size, boolean hidden) {

    boolean contains(int byteOffset) {
        return byteOffset >= offset && byteOffset < offset + size;
    }

    @Override
    public String toString() {
        return "function '" + name + "' in section '" + sectionName + "'";
    }
}
