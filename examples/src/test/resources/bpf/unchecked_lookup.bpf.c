// SPDX-License-Identifier: GPL-2.0
// unchecked_lookup: a program the verifier must refuse, for the runner's rejection message: it writes through
// a hash map lookup's result without checking it for NULL (a constant-key array lookup would be proven
// non-NULL by newer verifiers).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpgid")
int unchecked_lookup(void *ctx)
{
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&counts, &zero);
	*count += 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
