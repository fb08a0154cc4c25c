// __ksym externs, resolved at load: a typed per-CPU kernel variable (runqueues, through kernel BTF), a typeless
// kernel symbol (_stext, through /proc/kallsyms), and weak ones of both kinds that no kernel has, which read
// as address 0. On each sys_enter of target_tgid the program writes what it sees into .bss.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

// CO-RE: the kernel's struct rq decides where cpu is
struct rq {
	int cpu;
} __attribute__((preserve_access_index));

extern const struct rq runqueues __ksym;
extern const void _stext __ksym;
extern const struct rq reactor_bpf_no_such_rq __ksym __weak;
extern const void reactor_bpf_no_such_symbol __ksym __weak;

const volatile __u32 target_tgid = 0;

__u64 runqueues_addr = 0;
__u64 stext_addr = 0;
__u64 missing_typed_addr = 1;
__u64 missing_typeless_addr = 1;
__s32 rq_cpu = -1;
__s32 this_rq_cpu = -1;
__s32 cpu_seen = -1;

SEC("raw_tp/sys_enter")
int read_ksyms(const void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	__u32 cpu = bpf_get_smp_processor_id();
	runqueues_addr = (__u64)&runqueues;
	stext_addr = (__u64)&_stext;
	missing_typed_addr = (__u64)&reactor_bpf_no_such_rq;
	missing_typeless_addr = (__u64)&reactor_bpf_no_such_symbol;
	struct rq *rq = (struct rq *)bpf_per_cpu_ptr(&runqueues, cpu);
	if (rq)
		rq_cpu = rq->cpu;
	struct rq *this_rq = (struct rq *)bpf_this_cpu_ptr(&runqueues);
	this_rq_cpu = this_rq->cpu;
	cpu_seen = cpu;
	return 0;
}

// the same without the typed variable, which kernels without CONFIG_KALLSYMS_ALL cannot place; off by default
SEC("?raw_tp/sys_enter")
int read_addresses(const void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	stext_addr = (__u64)&_stext;
	missing_typed_addr = (__u64)&reactor_bpf_no_such_rq;
	missing_typeless_addr = (__u64)&reactor_bpf_no_such_symbol;
	return 0;
}
