/* srvload.c - load generator for `canhgac server` (bench/server_load.sh): N simulated agents on
 * loopback over TLS, speaking the agent protocol (docs/agent-protocol.md) with libcurl's multi
 * interface.
 *
 *   srvload URL CA TOKEN AGENTS CONNS SECONDS [BATCH] [EVENT_BYTES]
 *
 * Phases, each printed as one JSON line:
 *   enroll   every agent enrols with TOKEN (CONNS at a time);
 *   sustain  CONNS connections send event batches as fast as the server acknowledges them for
 *            SECONDS: events stored per second;
 *   half     half that event rate, plus every agent's heartbeat every 60 s (spread out), for
 *            SECONDS: latency percentiles of every request;
 *   storm    after an outage every agent heartbeats at once on a fresh connection (up to 1,000
 *            in flight), honouring 429 Retry-After: statuses seen and the time to absorb it. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct agent {
	char secret[80];
	char epoch[33];
	long long seq;
};

struct job {
	CURL *h;
	struct curl_slist *hdr;
	char *body;
	char resp[512];
	size_t rlen;
	int agent;
	int kind; /* 0 enroll, 1 events, 2 heartbeat */
	int nevents;
	double t0;
	double not_before;
};

static const char *url, *ca, *token;
static int nagents, nconns, seconds, batch = 500, evbytes = 500;
static struct agent *agents;
static double *lat;
static size_t nlat, caplat;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t on_data(char *p, size_t sz, size_t n, void *arg)
{
	struct job *j = arg;
	size_t k = sz * n;
	size_t room = sizeof j->resp - 1 - j->rlen;
	memcpy(j->resp + j->rlen, p, k < room ? k : room);
	j->rlen += k < room ? k : room;
	j->resp[j->rlen] = 0;
	return k;
}

static void rand_hex(char *out, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = "0123456789abcdef"[rand() % 16];
	out[n] = 0;
}

static void setup(struct job *j, const char *path, int fresh)
{
	char u[600], auth[128];
	curl_easy_reset(j->h);
	snprintf(u, sizeof u, "%s%s", url, path);
	curl_easy_setopt(j->h, CURLOPT_URL, u);
	curl_easy_setopt(j->h, CURLOPT_CAINFO, ca);
	curl_easy_setopt(j->h, CURLOPT_POSTFIELDS, j->body);
	curl_easy_setopt(j->h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(j->h, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(j->h, CURLOPT_PRIVATE, j);
	curl_easy_setopt(j->h, CURLOPT_TIMEOUT, 120L);
	if (fresh) {
		curl_easy_setopt(j->h, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(j->h, CURLOPT_FORBID_REUSE, 1L);
	}
	curl_slist_free_all(j->hdr);
	j->hdr = curl_slist_append(NULL, "Content-Type: application/json");
	if (j->kind != 0) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", agents[j->agent].secret);
		j->hdr = curl_slist_append(j->hdr, auth);
	}
	curl_easy_setopt(j->h, CURLOPT_HTTPHEADER, j->hdr);
	j->rlen = 0;
	j->resp[0] = 0;
	j->t0 = now();
}

static void make_enroll(struct job *j, int a)
{
	free(j->body);
	j->body = malloc(2048);
	j->agent = a;
	j->kind = 0;
	rand_hex(agents[a].epoch, 32);
	snprintf(j->body, 2048,
	         "{\"token\":\"%s\",\"epoch\":\"%s\",\"facts\":{\"hostname\":\"load-%d\","
	         "\"os\":\"Debian\",\"machine_id\":\"m%d\",\"ips\":[\"10.%d.%d.%d\"]}}",
	         token, agents[a].epoch, a, a, (a >> 16) & 255, (a >> 8) & 255, a & 255);
	setup(j, "/api/v1/agent/enroll", 0);
}

static void make_events(struct job *j, int a, int n)
{
	free(j->body);
	size_t cap = (size_t)n * (size_t)(evbytes + 200) + 256, used = 0;
	j->body = malloc(cap);
	j->agent = a;
	j->kind = 1;
	j->nevents = n;
	char pad[4096];
	int padn = evbytes - 150 > 0 ? evbytes - 150 : 1;
	if (padn > (int)sizeof pad - 1)
		padn = (int)sizeof pad - 1;
	memset(pad, 'x', (size_t)padn);
	pad[padn] = 0;
	used += (size_t)snprintf(j->body, cap, "{\"epoch\":\"%s\",\"events\":[", agents[a].epoch);
	for (int i = 0; i < n; i++) {
		long long seq = ++agents[a].seq;
		used += (size_t)snprintf(
		    j->body + used, cap - used,
		    "%s{\"seq\":%lld,\"event\":{\"schema\":\"canhgac.event/1\","
		    "\"time_ms\":%lld,\"kind\":\"bench.load\",\"severity\":\"info\","
		    "\"severity_level\":0,\"detail\":\"%lld %s\"}}",
		    i ? "," : "", seq, (long long)time(NULL) * 1000, seq, pad);
	}
	snprintf(j->body + used, cap - used, "]}");
	setup(j, "/api/v1/agent/events", 0);
}

static void make_heartbeat(struct job *j, int a, int fresh)
{
	free(j->body);
	j->body = malloc(512);
	j->agent = a;
	j->kind = 2;
	snprintf(j->body, 512,
	         "{\"epoch\":\"%s\",\"next_seq\":%lld,\"self\":{\"cpu_pct\":1,\"rss_kb\":9000},"
	         "\"spool\":{\"pending\":0,\"dropped\":0}}",
	         agents[a].epoch, agents[a].seq + 1);
	setup(j, "/api/v1/agent/heartbeat", fresh);
}

static void add_lat(double ms)
{
	if (nlat == caplat) {
		caplat = caplat ? caplat * 2 : 4096;
		lat = realloc(lat, caplat * sizeof *lat);
	}
	lat[nlat++] = ms;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double p)
{
	if (!nlat)
		return 0;
	qsort(lat, nlat, sizeof *lat, cmpd);
	size_t i = (size_t)(p * (double)(nlat - 1));
	return lat[i];
}

/* Runs one phase: the next job for a free slot comes from next(); returns 0 to stop feeding. */
struct stats {
	long ok, e429, other, events, requests;
};

static void finish(struct job *j, long code, struct stats *st, int *retry_agent)
{
	st->requests++;
	add_lat((now() - j->t0) * 1000);
	*retry_agent = -1;
	if (code == 200 || code == 201) {
		st->ok++;
		if (j->kind == 0) {
			char *s = strstr(j->resp, "\"secret\":\"");
			if (s) {
				s += 10;
				char *e = strchr(s, '"');
				if (e && e - s < 79) {
					memcpy(agents[j->agent].secret, s, (size_t)(e - s));
					agents[j->agent].secret[e - s] = 0;
				}
			}
		}
		if (j->kind == 1)
			st->events += j->nevents;
	} else if (code == 429 || code == 503) {
		st->e429++;
		*retry_agent = j->agent;
	} else {
		st->other++;
		if (st->other < 5)
			fprintf(stderr, "srvload: HTTP %ld: %.200s\n", code, j->resp);
	}
}

/* next() gives a slot its next job (1), nothing yet (0: pacing), or nothing more (-1). */
typedef int (*next_fn)(struct job *j, double t);

/* Runs one phase. A free slot asks next() for work; next() may decline until its time comes
 * (pacing), and a job may carry not_before (a retry): the loop never sleeps inside a callback,
 * so latencies are the server's, not the generator's. */
static void run_phase(CURLM *m, struct job *jobs, int slots, next_fn next, double stop_at,
                      struct stats *st)
{
	int running = 0, exhausted = 0;
	char *idle = calloc((size_t)slots, 1), *waiting = calloc((size_t)slots, 1);
	for (int i = 0; i < slots; i++)
		idle[i] = 1;
	for (;;) {
		double t = now();
		int feeding = !exhausted && (stop_at <= 0 || t < stop_at);
		for (int i = 0; i < slots; i++) {
			if (waiting[i] && t >= jobs[i].not_before) {
				waiting[i] = 0;
				curl_multi_add_handle(m, jobs[i].h);
				running++;
			} else if (idle[i] && feeding) {
				int k = next(&jobs[i], t);
				if (k > 0) {
					idle[i] = 0;
					curl_multi_add_handle(m, jobs[i].h);
					running++;
				} else if (k < 0) {
					exhausted = feeding = 0;
				}
			}
		}
		int pending_waits = 0;
		for (int i = 0; i < slots; i++)
			pending_waits |= waiting[i];
		if (!running && !pending_waits && !feeding)
			break;
		int still;
		curl_multi_perform(m, &still);
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(m, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			struct job *j;
			long code = 0;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
			curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
			curl_multi_remove_handle(m, j->h);
			running--;
			int retry, slot = (int)(j - jobs);
			finish(j, msg->data.result == CURLE_OK ? code : 0, st, &retry);
			if (retry >= 0 && j->kind == 2) {
				/* Storm: come back after a jittered pause, on a fresh connection.
				 */
				make_heartbeat(j, retry, 1);
				j->not_before = now() + 1 + (rand() % 2000) / 1000.0;
				waiting[slot] = 1;
				continue;
			}
			idle[slot] = 1;
		}
		curl_multi_poll(m, NULL, 0, 5, NULL);
	}
	free(idle);
	free(waiting);
}

static int cursor;
static double pace_interval, pace_next;

static int next_enroll(struct job *j, double t)
{
	(void)t;
	if (cursor >= nagents)
		return -1;
	make_enroll(j, cursor++);
	return 1;
}

static int next_sustain(struct job *j, double t)
{
	(void)t;
	make_events(j, cursor++ % nagents, batch);
	return 1;
}

static double hb_interval, hb_next;

static int next_half(struct job *j, double t)
{
	/* Two paced streams: event batches at half the sustained rate, and every agent's
	 * heartbeat once a minute. Nothing until one of them is due. */
	int a = cursor % nagents;
	if (t >= pace_next) {
		pace_next += pace_interval;
		cursor++;
		make_events(j, a, batch);
		return 1;
	}
	if (t >= hb_next) {
		hb_next += hb_interval;
		cursor++;
		make_heartbeat(j, a, 0);
		return 1;
	}
	return 0;
}

static int next_storm(struct job *j, double t)
{
	(void)t;
	if (cursor >= nagents)
		return -1;
	make_heartbeat(j, cursor++, 1);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 7) {
		fprintf(stderr,
		        "usage: srvload URL CA TOKEN AGENTS CONNS SECONDS [BATCH] [EVENT_BYTES]\n");
		return 2;
	}
	url = argv[1];
	ca = argv[2];
	token = argv[3];
	nagents = atoi(argv[4]);
	nconns = atoi(argv[5]);
	seconds = atoi(argv[6]);
	if (argc > 7)
		batch = atoi(argv[7]);
	if (argc > 8)
		evbytes = atoi(argv[8]);
	srand((unsigned)time(NULL));
	curl_global_init(CURL_GLOBAL_ALL);
	agents = calloc((size_t)nagents, sizeof *agents);
	int slots = nconns > 1000 ? 1000 : nconns;
	int storm_slots = nagents < 1000 ? nagents : 1000;
	struct job *jobs = calloc((size_t)storm_slots + (size_t)slots, sizeof *jobs);
	for (int i = 0; i < storm_slots + slots; i++)
		jobs[i].h = curl_easy_init();
	CURLM *m = curl_multi_init();
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)storm_slots);

	struct stats st = {0};
	double t0 = now();
	cursor = 0;
	run_phase(m, jobs, slots, next_enroll, 0, &st);
	printf("{\"phase\":\"enroll\",\"agents\":%d,\"ok\":%ld,\"errors\":%ld,\"seconds\":%.2f}\n",
	       nagents, st.ok, st.other + st.e429, now() - t0);

	memset(&st, 0, sizeof st);
	nlat = 0;
	cursor = 0;
	t0 = now();
	run_phase(m, jobs, slots, next_sustain, t0 + seconds, &st);
	double dt = now() - t0, rate = st.events / dt;
	printf(
	    "{\"phase\":\"sustain\",\"events\":%ld,\"seconds\":%.2f,\"events_per_s\":%.0f,"
	    "\"requests\":%ld,\"http_429\":%ld,\"errors\":%ld,\"p50_ms\":%.1f,\"p99_ms\":%.1f}\n",
	    st.events, dt, rate, st.requests, st.e429, st.other, pct(0.5), pct(0.99));
	fflush(stdout);

	/* Half load: half the event rate in batches, plus the heartbeats of every agent. */
	memset(&st, 0, sizeof st);
	nlat = 0;
	cursor = 0;
	double batches_per_s = rate / 2 / batch, hb_per_s = nagents / 60.0;
	pace_interval = batches_per_s > 0 ? 1.0 / batches_per_s : 1;
	hb_interval = 1.0 / hb_per_s;
	pace_next = hb_next = now();
	t0 = now();
	run_phase(m, jobs, slots, next_half, t0 + seconds, &st);
	dt = now() - t0;
	printf("{\"phase\":\"half\",\"events_per_s\":%.0f,\"requests_per_s\":%.1f,\"http_429\":%ld,"
	       "\"errors\":%ld,\"p50_ms\":%.1f,\"p99_ms\":%.1f,\"max_ms\":%.1f}\n",
	       st.events / dt, st.requests / dt, st.e429, st.other, pct(0.5), pct(0.99), pct(1.0));
	fflush(stdout);

	memset(&st, 0, sizeof st);
	nlat = 0;
	cursor = 0;
	t0 = now();
	run_phase(m, jobs + slots, storm_slots, next_storm, 0, &st);
	printf("{\"phase\":\"storm\",\"agents\":%d,\"ok\":%ld,\"http_429\":%ld,\"errors\":%ld,"
	       "\"seconds\":%.2f,\"p99_ms\":%.1f}\n",
	       nagents, st.ok, st.e429, st.other, now() - t0, pct(0.99));
	for (int i = 0; i < storm_slots + slots; i++) {
		curl_easy_cleanup(jobs[i].h);
		curl_slist_free_all(jobs[i].hdr);
		free(jobs[i].body);
	}
	curl_multi_cleanup(m);
	curl_global_cleanup();
	free(jobs);
	free(agents);
	free(lat);
	return 0;
}
