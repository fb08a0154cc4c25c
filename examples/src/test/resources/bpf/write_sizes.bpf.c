// SPDX-License-Identifier: GPL-2.0
// write_sizes: the byte counts process target_tgid passes to write(2), kept in maps as libbpf-tools keep their
// results: a log2 histogram per command name (bitesize's shape: struct hist_key { comm }, struct hist { slots }),
// and the bytes written per file descriptor in a per-CPU hash, which the reader sums.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MAX_SLOTS 20
#define TASK_COMM_LEN 16

struct hist_key {
	char comm[TASK_COMM_LEN];
};

struct hist {
	__u32 slots[MAX_SLOTS];
};

/* The raw syscall tracepoint's record: the common header, the syscall number, then its six arguments. */
struct syscall_enter {
	__u64 header;
	__s64 nr;
	__u64 args[6];
};

/* Set before load: the process to watch (0: none). */
const volatile __s32 target_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, struct hist_key);
	__type(value, struct hist);
} hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} bytes SEC(".maps");

/* floor(log2(v)) by halving the range, 0 for 0 and 1: the slot libbpf-tools' log2l() picks. */
static __always_inline __u32 log2_slot(__u64 v)
{
	__u32 slot = 0;

	if (v >> 32) { v >>= 32; slot += 32; }
	if (v >> 16) { v >>= 16; slot += 16; }
	if (v >> 8) { v >>= 8; slot += 8; }
	if (v >> 4) { v >>= 4; slot += 4; }
	if (v >> 2) { v >>= 2; slot += 2; }
	if (v >> 1) slot += 1;
	return slot;
}

SEC("tracepoint/syscalls/sys_enter_write")
int on_write(struct syscall_enter *ctx)
{
	if ((__s32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	__u64 count = ctx->args[2];
	struct hist_key key = {};
	bpf_get_current_comm(&key.comm, sizeof(key.comm));
	struct hist *h = bpf_map_lookup_elem(&hists, &key);
	if (!h) {
		struct hist zero = {};
		bpf_map_update_elem(&hists, &key, &zero, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &key);
		if (!h)
			return 0;
	}
	__u32 slot = log2_slot(count);
	if (slot >= MAX_SLOTS)
		slot = MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);

	__u32 fd = ctx->args[0];
	__u64 *total = bpf_map_lookup_elem(&bytes, &fd);
	if (total)
		*total += count;
	else
		bpf_map_update_elem(&bytes, &fd, &count, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
