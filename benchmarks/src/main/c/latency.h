// SPDX-License-Identifier: Apache-2.0
// Log-linear latency histogram: exact below 64 ns, then 32 buckets per power of two (within 3.2%).
// The Java consumer's LatencyHistogram uses the same buckets, so both sides report comparable quantiles.
#ifndef LATENCY_H
#define LATENCY_H
#include <stdint.h>

#define LATENCY_BUCKETS (64 + 58 * 32)

struct latency {
	uint64_t counts[LATENCY_BUCKETS];
	uint64_t total;
};

static inline int latency_bucket(int64_t ns)
{
	int exp;
	if (ns < 64)
		return ns < 0 ? 0 : (int)ns;
	exp = 63 - __builtin_clzll((uint64_t)ns);
	return 64 + (exp - 6) * 32 + (int)((ns >> (exp - 5)) & 31);
}

// the bucket's upper bound, so a quantile is never understated
static inline int64_t latency_upper(int bucket)
{
	int exp, sub;
	if (bucket < 64)
		return bucket;
	exp = (bucket - 64) / 32 + 6;
	sub = (bucket - 64) % 32;
	return ((int64_t)(33 + sub) << (exp - 5)) - 1;
}

static inline void latency_record(struct latency *h, int64_t ns)
{
	h->counts[latency_bucket(ns)]++;
	h->total++;
}

static inline int64_t latency_quantile(const struct latency *h, double q)
{
	uint64_t rank, seen = 0;
	if (h->total == 0)
		return -1;
	rank = (uint64_t)(q * (double)h->total);
	if (rank >= h->total)
		rank = h->total - 1;
	for (int i = 0; i < LATENCY_BUCKETS; i++) {
		seen += h->counts[i];
		if (seen > rank)
			return latency_upper(i);
	}
	return -1;
}
#endif
