// SPDX-License-Identifier: Apache-2.0
// Load generator for the perf buffer benchmarks: THREADS threads call getpgid(0), flat out or at a
// fixed total rate, for DURATION seconds. The consumer that started it filters on its pid, so it waits:
//
//   stdout "ready"            threads are created and parked
//   stdin  'g'                run; then stdout "calls=N elapsed_ns=T"
//   stdin  'f'                one getpgid() on every online CPU (so the kernel writes pending LOST
//                             records, which it only does before a later sample); stdout "flushed"
//   stdin  'q' or EOF         exit
//
// usage: loadgen THREADS RATE_PER_S(0 = flat out) DURATION_S [pin]
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int threads;
static double rate;
static double duration_s;
static int pin;
static pthread_barrier_t start;

struct worker {
	pthread_t thread;
	int index;
	long calls;
};

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void pin_to(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	long long end, next, period;
	long calls = 0;

	if (pin)
		pin_to(w->index % sysconf(_SC_NPROCESSORS_ONLN));
	pthread_barrier_wait(&start);
	end = now_ns() + (long long)(duration_s * 1e9);
	if (rate <= 0) {
		// flat out; the clock is read once per 256 calls so it costs nothing next to the syscall
		while (1) {
			for (int i = 0; i < 256; i++)
				syscall(SYS_getpgid, 0);
			calls += 256;
			if (now_ns() >= end)
				break;
		}
	} else {
		// call i is due at start + i * period; sleep to the next due call, then make every call due
		// (checking the clock every 256), so the rate holds however coarse the sleeps are; a generator
		// slowed below the rate stops at the deadline all the same
		period = (long long)(1e9 * threads / rate);
		next = now_ns();
		for (long long now = next; now < end; now = now_ns()) {
			for (int i = 0; i < 256 && next <= now; i++) {
				syscall(SYS_getpgid, 0);
				calls++;
				next += period;
			}
			if (next > now) {
				long long wake = next < end ? next : end;
				struct timespec ts = { wake / 1000000000LL, wake % 1000000000LL };
				clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
			}
		}
	}
	w->calls = calls;
	return NULL;
}

static void flush(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t all;

	sched_getaffinity(0, sizeof(all), &all);
	for (long cpu = 0; cpu < cpus; cpu++) {
		pin_to((int)cpu);
		syscall(SYS_getpgid, 0);
	}
	sched_setaffinity(0, sizeof(all), &all);
}

int main(int argc, char **argv)
{
	struct worker *workers;
	long long began, elapsed;
	long calls = 0;
	int c;

	if (argc < 4) {
		fprintf(stderr, "usage: %s THREADS RATE_PER_S(0 = flat out) DURATION_S [pin]\n", argv[0]);
		return 2;
	}
	threads = atoi(argv[1]);
	rate = atof(argv[2]);
	duration_s = atof(argv[3]);
	pin = argc > 4 && strcmp(argv[4], "pin") == 0;
	if (threads <= 0 || duration_s <= 0) {
		fprintf(stderr, "loadgen: THREADS and DURATION_S must be positive\n");
		return 2;
	}
	// nanosleep wakes within 1 ns of the deadline asked instead of the default 50 us slack
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	setvbuf(stdout, NULL, _IONBF, 0);
	workers = calloc(threads, sizeof(*workers));
	pthread_barrier_init(&start, NULL, threads + 1);
	for (int i = 0; i < threads; i++) {
		workers[i].index = i;
		pthread_create(&workers[i].thread, NULL, work, &workers[i]);
	}
	printf("ready\n");
	while ((c = getchar()) != EOF && c != 'g')
		;
	if (c == EOF)
		return 1;
	began = now_ns();
	pthread_barrier_wait(&start);
	for (int i = 0; i < threads; i++) {
		pthread_join(workers[i].thread, NULL);
		calls += workers[i].calls;
	}
	elapsed = now_ns() - began;
	printf("calls=%ld elapsed_ns=%lld\n", calls, elapsed);
	while ((c = getchar()) != EOF && c != 'q') {
		if (c == 'f') {
			flush();
			printf("flushed\n");
		}
	}
	return 0;
}
