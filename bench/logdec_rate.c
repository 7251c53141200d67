/* logdec_rate.c - in-memory rate of the log decoders on one core: loads a log file, decodes
 * every line once (counting the lines recognised and those with an action), then times repeated
 * passes over all lines. Prints "lines N decoded D action A rate R ns_per_line T".
 * Usage: logdec_rate LOG [MIN_SECONDS] [FORMAT] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canhgac/logdec.h"
#include "banned.h"

struct line {
	const char *p;
	size_t n;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;
	if (!f)
		return NULL;
	do {
		if (cap - n < 65536) {
			cap = cap ? 2 * cap : 1 << 20;
			buf = realloc(buf, cap);
			if (!buf)
				exit(2);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return buf;
}

static struct line *split(char *buf, size_t len, size_t *np)
{
	size_t n = 0, cap = 0;
	struct line *v = NULL;
	for (size_t i = 0; i < len;) {
		char *e = memchr(buf + i, '\n', len - i);
		size_t k = e ? (size_t)(e - buf) - i : len - i;
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				exit(2);
		}
		v[n].p = buf + i;
		v[n].n = k && buf[i + k - 1] == '\r' ? k - 1 : k;
		n++;
		i += k + 1;
	}
	*np = n;
	return v;
}

int main(int argc, char **argv)
{
	size_t len, n = 0, ok = 0, acts = 0, done = 0;
	char *buf;
	struct line *v;
	struct cg_logdec_opts o = {time(NULL), 0, argc > 3 ? argv[3] : NULL};
	double t0, t, min_s = argc > 2 ? strtod(argv[2], NULL) : 2.0;
	static struct cg_logrec r;
	volatile size_t sink = 0;

	if (argc < 2 || !(buf = slurp(argv[1], &len))) {
		fprintf(stderr, "usage: logdec_rate LOG [MIN_SECONDS] [FORMAT]\n");
		return 2;
	}
	v = split(buf, len, &n);
	for (size_t i = 0; i < n; i++) {
		if (cg_logdec_line(&o, v[i].p, v[i].n, &r) == 0)
			ok++;
		acts += r.f[CG_LF_ACTION].ptr != NULL;
	}
	t0 = now();
	do {
		for (size_t i = 0; i < n; i++) {
			cg_logdec_line(&o, v[i].p, v[i].n, &r);
			sink += r.f[CG_LF_SRCIP].len;
		}
		done += n;
		t = now() - t0;
	} while (t < min_s);
	printf("lines %zu decoded %zu action %zu rate %.0f ns_per_line %.1f\n", n, ok, acts,
	       (double)done / t, t * 1e9 / (double)done);
	free(v);
	free(buf);
	return 0;
}
