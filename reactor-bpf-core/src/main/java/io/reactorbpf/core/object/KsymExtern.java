package io.reactorbpf.core.object;

/**
 * One {@code __ksym} extern of an object: a kernel variable ({@code extern const struct rq runqueues __ksym;}), a
 * kernel symbol used only for its address ({@code extern const void bpf_prog_fops __ksym;}) or a kernel function
 * (a kfunc, {@code extern void bpf_rcu_read_lock(void) __ksym;}). Immutable.
 *
 * @param localTypeId the object's BTF type of the variable (qualifiers and typedefs skipped) or the function's
 *                    FUNC_PROTO; 0 for a typeless extern, which is resolved through /proc/kallsyms
 * @param weak        declared {@code __weak}: when the kernel lacks it, it reads as address 0 instead of failing
 */
record KsymExtern(String name, boolean function, int localTypeId, boolean weak) {

    /** Whether it is resolved through kernel BTF (a typed variable or a function) rather than /proc/kallsyms. */
    boolean typed() {
        return localTypeId != 0;
    }

    /** What a message calls it: "typed __ksym variable 'runqueues'", "__weak kfunc 'bpf_x'". */
    String describe() {
        return (weak ? "__weak " : "") + (function ? "kfunc" : typed() ? "typed __ksym variable" : "typeless __ksym")
                + " '" + name + "'";
    }
}
