package io.reactorbpf.core.internal.btf;

/**
 * What one CO-RE relocation did to its instruction.
 *
 * @param section     the ELF section holding the instruction
 * @param insnIndex   the instruction's index in the section (its byte offset / 8)
 * @param relo        the relocation record applied
 * @param poisoned    true when the target lacks what the relocation needs and the instruction was replaced by
 *                    {@code call} {@link CoreRelocator#POISON_IMM}, which the verifier rejects if it is reachable
 * @param localValue  the value computed against the program's own BTF (what the compiler put in the instruction)
 * @param targetValue the value computed against the target BTF and written to the instruction; 0 when poisoned
 * @param description a line for people, such as {@code FIELD_BYTE_OFFSET struct task_struct.pid (0:57) -> 2392}
 */
public record CoreResult(String section, int insnIndex, BtfExt.CoreRelo relo, boolean poisoned, long localValue,
                         long targetValue, String description) {
}
