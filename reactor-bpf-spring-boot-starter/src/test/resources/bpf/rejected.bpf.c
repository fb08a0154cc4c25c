// SPDX-License-Identifier: GPL-2.0
// rejected: reads a hash map's value without checking the lookup's NULL, which the verifier refuses, so the starter's
// tests see how a verifier rejection fails the application's start.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpgid")
int unchecked(void *ctx)
{
	__u32 zero = 0;
	__u64 *value = bpf_map_lookup_elem(&values, &zero);
	return *value > 0;
}

char LICENSE[] SEC("license") = "GPL";
