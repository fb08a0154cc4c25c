package io.reactorbpf.core.object;

/**
 * One function in an executable section: a program's entry or a subprogram.
 *
 * @param offset byte offset of its first instruction in the section
 * @param size   its size in bytes
 */
record CodeFunction(String name, int sectionIndex, String sectionName, int offset, int size) {

    boolean contains(int byteOffset) {
        return byteOffset >= offset && byteOffset < offset + size;
    }

    @Override
    public String toString() {
        return "function '" + name + "' in section '" + sectionName + "'";
    }
}
