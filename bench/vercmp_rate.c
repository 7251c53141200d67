/* vercmp_rate.c - in-memory rate of the dpkg comparator on one core: reads "a<TAB>b<TAB>expected"
 * lines (gen_versions.py's pairs.tsv), checks every answer against the expected one, then times
 * repeated passes over all pairs. Prints "pairs N wrong W rate R" (comparisons per second).
 * Usage: vercmp_rate PAIRS.TSV [MIN_SECONDS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canhgac/vercmp.h"
#include "banned.h"

struct pair {
	const char *a, *b;
	size_t an, bn;
	int want;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct pair *load(const char *path, size_t *np)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, n = 0, pcap = 0;
	ssize_t got;
	struct pair *v = NULL;

	if (!f)
		return NULL;
	while ((got = getline(&line, &cap, f)) > 0) {
		char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL, *s;
		if (!t2)
			continue;
		if (n == pcap) {
			pcap = pcap ? 2 * pcap : 4096;
			v = realloc(v, pcap * sizeof(*v));
			if (!v)
				exit(2);
		}
		s = strndup(line, (size_t)got); /* one copy per line; pointers into it */
		if (!s)
			exit(2);
		v[n].a = s;
		v[n].an = (size_t)(t1 - line);
		v[n].b = s + (t1 - line) + 1;
		v[n].bn = (size_t)(t2 - t1 - 1);
		v[n].want = t2[1] == '<' ? -1 : t2[1] == '>' ? 1 : 0;
		n++;
	}
	free(line);
	fclose(f);
	*np = n;
	return v;
}

int main(int argc, char **argv)
{
	size_t n = 0, wrong = 0, done = 0;
	struct pair *v;
	double t0, t, min_s = argc > 2 ? strtod(argv[2], NULL) : 2.0;
	volatile int sink = 0;

	if (argc < 2 || !(v = load(argv[1], &n)) || n == 0) {
		fprintf(stderr, "usage: vercmp_rate PAIRS.TSV [MIN_SECONDS]\n");
		return 2;
	}
	for (size_t i = 0; i < n; i++)
		wrong += cg_vercmp_dpkg(v[i].a, v[i].an, v[i].b, v[i].bn) != v[i].want;
	t0 = now();
	do {
		for (size_t i = 0; i < n; i++)
			sink += cg_vercmp_dpkg(v[i].a, v[i].an, v[i].b, v[i].bn);
		done += n;
		t = now() - t0;
	} while (t < min_s);
	printf("pairs %zu wrong %zu rate %.0f\n", n, wrong, (double)done / t);
	return wrong ? 1 : 0;
}
