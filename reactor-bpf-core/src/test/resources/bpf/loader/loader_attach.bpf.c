// One program per auto-attach section kind, each counting its runs in its own slot of "counts"; the
// syscall programs count only getpgid calls of the process set in .rodata.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

enum slot {
	SLOT_TRACEPOINT,
	SLOT_TP,
	SLOT_RAW_TP,
	SLOT_TP_BTF,
	SLOT_UPROBE,
	SLOT_URETPROBE,
	SLOT_KPROBE,
	SLOT_FENTRY,
	SLOT_FEXIT,
	SLOT_SOCKET,
	SLOT_XDP,
	SLOT_PERF_EVENT,
	SLOTS
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

const volatile __u32 target_tgid = 0;
const volatile __u64 getpgid_nr = 0;

static __always_inline void count(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&counts, &slot);
	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline int mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("tracepoint/syscalls/sys_enter_getpgid")
int on_tracepoint(void *ctx)
{
	if (mine())
		count(SLOT_TRACEPOINT);
	return 0;
}

SEC("tp/syscalls/sys_enter_getpgid")
int on_tp(void *ctx)
{
	if (mine())
		count(SLOT_TP);
	return 0;
}

// raw sys_enter: args[0] is the pt_regs pointer, args[1] the syscall number
SEC("raw_tp/sys_enter")
int on_raw_tp(struct bpf_raw_tracepoint_args *ctx)
{
	if (mine() && ctx->args[1] == getpgid_nr)
		count(SLOT_RAW_TP);
	return 0;
}

SEC("tp_btf/sys_enter")
int on_tp_btf(__u64 *ctx)
{
	if (mine() && ctx[1] == getpgid_nr)
		count(SLOT_TP_BTF);
	return 0;
}

// the binary and function are set with ProgramSpec.attachTarget before load
SEC("uprobe")
int on_uprobe(void *ctx)
{
	count(SLOT_UPROBE);
	return 0;
}

SEC("uretprobe")
int on_uretprobe(void *ctx)
{
	count(SLOT_URETPROBE);
	return 0;
}

SEC("kprobe/__x64_sys_getpgid")
int on_kprobe(void *ctx)
{
	if (mine())
		count(SLOT_KPROBE);
	return 0;
}

SEC("fentry/__x64_sys_getpgid")
int on_fentry(__u64 *ctx)
{
	if (mine())
		count(SLOT_FENTRY);
	return 0;
}

SEC("fexit/__x64_sys_getpgid")
int on_fexit(__u64 *ctx)
{
	if (mine())
		count(SLOT_FEXIT);
	return 0;
}

SEC("socket")
int on_socket(struct __sk_buff *skb)
{
	count(SLOT_SOCKET);
	return 0;
}

SEC("xdp")
int on_xdp(struct xdp_md *ctx)
{
	count(SLOT_XDP);
	return XDP_PASS;
}

SEC("perf_event")
int on_perf_event(void *ctx)
{
	count(SLOT_PERF_EVENT);
	return 0;
}
