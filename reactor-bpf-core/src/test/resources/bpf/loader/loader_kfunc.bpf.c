// kfuncs, __ksym functions resolved at load through kernel BTF: the program calls bpf_rcu_read_lock and
// bpf_rcu_read_unlock, which every program type may call, takes bpf_rcu_read_lock's address, and asks whether a
// weak kfunc no kernel has exists, calling it only if so: that call is in dead code the verifier drops.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern void reactor_bpf_no_such_kfunc(void) __ksym __weak;

const volatile __u32 target_tgid = 0;

__u64 lock_addr = 0;
__s32 missing_exists = -1;
__s32 locked_runs = 0;

SEC("raw_tp/sys_enter")
int call_kfuncs(const void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	bpf_rcu_read_lock();
	locked_runs++;
	bpf_rcu_read_unlock();
	lock_addr = (__u64)&bpf_rcu_read_lock;
	missing_exists = &reactor_bpf_no_such_kfunc != 0;
	if (missing_exists)
		reactor_bpf_no_such_kfunc();
	return 0;
}
