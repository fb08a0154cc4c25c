// Strong __ksym externs no kernel has, one per program, so each program fails to load naming its symbol and where
// it was looked for.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct rq {
	int cpu;
} __attribute__((preserve_access_index));

extern const struct rq reactor_bpf_no_such_rq __ksym;
extern const void reactor_bpf_no_such_symbol __ksym;

__u64 addr = 0;

SEC("raw_tp/sys_enter")
int typed_missing(const void *ctx)
{
	addr = (__u64)&reactor_bpf_no_such_rq;
	return 0;
}

SEC("raw_tp/sys_enter")
int typeless_missing(const void *ctx)
{
	addr = (__u64)&reactor_bpf_no_such_symbol;
	return 0;
}
