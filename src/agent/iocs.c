/* iocs.c - the Department's IOC hash lists on an agent (docs/agent.md "IOC lists"): downloaded
 * when a heartbeat names a version the agent does not hold, kept as DATA_DIR/agent/iocs.txt
 * (one "type<TAB>hex<TAB>list<TAB>family" line each), and matched against the digests of every
 * file in the scan cache (DATA_DIR/scan.db): a new list finds files scanned weeks ago, and each
 * scan's new files are matched after it. Each (indicator, file) pair is reported once, as an
 * ioc.match event; the pairs reported are remembered in DATA_DIR/agent/ioc_reported. Linux. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/auth.h"
#include "canhgac/crypto.h"
#include "canhgac/hashsig.h"
#include "canhgac/iocset.h"
#include "canhgac/limits.h"
#include "canhgac/scandb.h"
#include "canhgac/sys.h"
#include "agent_int.h"
#include "banned.h"

#define MAX_LINE 1024
#define MAX_PAGES 1000

static void apath(const struct cg_agent *a, const char *name, char *out, size_t cap)
{
	snprintf(out, cap, "%s/%s", a->dir, name);
}

static enum cg_ioc_type type_of(const char *t)
{
	return strcmp(t, "md5") == 0      ? CG_IOC_MD5
	       : strcmp(t, "sha1") == 0   ? CG_IOC_SHA1
	       : strcmp(t, "sha256") == 0 ? CG_IOC_SHA256
	                                  : (enum cg_ioc_type)0;
}

/* A field for the file: no tab or line end (replaced), at most 200 bytes. */
static void field(FILE *f, const char *s)
{
	for (size_t i = 0; s && s[i] && i < 200; i++)
		fputc(s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ? ' ' : s[i], f);
}

int cg_agent_iocs_sync(struct cg_agent *a, json_t *offer)
{
	char v[32], path[4200], tmp[4300];
	json_int_t ver = json_integer_value(json_object_get(offer, "version"));
	json_int_t total = json_integer_value(json_object_get(offer, "total"));
	if (ver <= 0)
		return 0;
	if (cg_spool_meta_get(a->spool, "ioc_version", v, sizeof v) == 0 &&
	    strtoll(v, NULL, 10) == ver)
		return 0;
	apath(a, "iocs.txt", path, sizeof path);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "wb" CG_FOPEN_E);
	int rc = f ? 0 : CG_EIO;
	json_int_t got = 0;
	for (int page = 0; rc == 0 && page < MAX_PAGES && got < total; page++) {
		struct cg_http_resp r = {0};
		char url[96];
		snprintf(url, sizeof url, "/api/v1/agent/iocs?offset=%lld", (long long)got);
		rc = cg_agent_call(a, "GET", url, NULL, &r);
		json_t *arr = json_object_get(r.json, "hashes"), *h;
		size_t i;
		if (rc == 0 &&
		    (r.status != 200 || !json_is_array(arr) || json_array_size(arr) == 0 ||
		     json_integer_value(json_object_get(r.json, "version")) != ver))
			rc = CG_EIO; /* the lists changed meanwhile: next heartbeat starts again */
		json_array_foreach(arr, i, h)
		{
			if (rc)
				break;
			const char *t = json_string_value(json_array_get(h, 0));
			const char *x = json_string_value(json_array_get(h, 1));
			if (!t || !x || !type_of(t) || strlen(x) > 64)
				continue;
			fprintf(f, "%s\t%s\t", t, x);
			field(f, json_string_value(json_array_get(h, 2)));
			fputc('\t', f);
			field(f, json_string_value(json_array_get(h, 3)));
			fputc('\n', f);
		}
		got += (json_int_t)json_array_size(arr);
		cg_http_resp_clear(&r);
	}
	if (f && fflush(f) != 0) /* cg_file_fsync_rename makes it durable */
		rc = CG_EIO;
	if (f && fclose(f) != 0)
		rc = CG_EIO;
	if (rc == 0)
		rc = cg_file_fsync_rename(tmp, path);
	if (rc) {
		(void)unlink(tmp);
		return rc;
	}
	snprintf(v, sizeof v, "%lld", (long long)ver);
	rc = cg_spool_meta_set(a->spool, "ioc_version", v);
	cg_agent_log(CG_LOG_INFO, "danh sách IOC %s: %lld mã băm", "IOC lists %s: %lld hashes", v,
	             (long long)got);
	return rc ? rc : cg_agent_iocs_match(a);
}

struct mctx {
	struct cg_agent *a;
	struct cg_iocset *set, *seen;
	uint64_t *off; /* line offsets of iocs.txt, by payload */
	FILE *lines, *rep;
	long found;
};

/* The key of a reported pair: SHA-256 over "hex\0path". */
static void pair_key(const char *hex, const void *path, size_t plen, uint8_t key[32])
{
	struct cg_digest_result d;
	size_t hl = strlen(hex);
	uint8_t *buf = cg_malloc(hl + 1 + plen);
	memset(key, 0, 32);
	if (!buf)
		return;
	memcpy(buf, hex, hl + 1);
	memcpy(buf + hl + 1, path, plen);
	if (cg_digest_buf(CG_HASH_SHA256, buf, hl + 1 + plen, &d) == 0)
		memcpy(key, d.sha256, 32);
	cg_free(buf);
}

/* One match: the line's fields into an ioc.match event, unless reported before. */
static int report(struct mctx *m, uint32_t line, const struct cg_digest_result *dig,
                  const void *path, size_t plen)
{
	char buf[MAX_LINE + 2], *t, *x, *list, *fam, *save = NULL, hex[65];
	uint8_t key[32];
	uint32_t hit;
	if (fseeko(m->lines, (off_t)m->off[line], SEEK_SET) != 0 ||
	    !fgets(buf, sizeof buf, m->lines))
		return 0;
	buf[strcspn(buf, "\n")] = 0;
	t = strtok_r(buf, "\t", &save);
	x = strtok_r(NULL, "\t", &save);
	list = strtok_r(NULL, "\t", &save);
	fam = strtok_r(NULL, "\t", &save);
	if (!t || !x)
		return 0;
	pair_key(x, path, plen, key);
	if (cg_iocset_lookup_hash(m->seen, CG_IOC_SHA256, key, &hit, 1) > 0)
		return 0;
	json_t *ev = cg_agent_event_new("ioc.match", CG_SEV_HIGH, cg_now_ms());
	json_t *dj = json_object();
	if (!ev || !dj) {
		json_decref(ev);
		json_decref(dj);
		return CG_ENOMEM;
	}
	if (dig->have & CG_HASH_SHA256) {
		cg_hex_encode(dig->sha256, 32, hex, sizeof hex);
		json_object_set_new(dj, "sha256", json_string(hex));
	}
	if (dig->have & CG_HASH_MD5) {
		cg_hex_encode(dig->md5, 16, hex, sizeof hex);
		json_object_set_new(dj, "md5", json_string(hex));
	}
	if (dig->have & CG_HASH_SHA1) {
		cg_hex_encode(dig->sha1, 20, hex, sizeof hex);
		json_object_set_new(dj, "sha1", json_string(hex));
	}
	json_object_set_new(ev, "digests", dj);
	json_t *ps = json_stringn((const char *)path, plen); /* NULL when not UTF-8 */
	if (ps) {
		json_object_set_new(ev, "path", ps);
	} else {
		char *b = cg_malloc(CG_BASE64_LEN(plen) + 1);
		if (b && cg_base64_encode(path, plen, b, CG_BASE64_LEN(plen) + 1) >= 0)
			json_object_set_new(ev, "path_b64", json_string(b));
		cg_free(b);
	}
	json_object_set_new(ev, "ioc", json_string(x));
	json_object_set_new(ev, "ioc_type", json_string(t));
	if (list && *list)
		json_object_set_new(ev, "list", json_string(list));
	if (fam && *fam)
		json_object_set_new(ev, "family", json_string(fam));
	int rc = cg_agent_spool_json(m->a, ev);
	json_decref(ev);
	if (rc == 0) {
		cg_hex_encode(key, 32, hex, sizeof hex);
		fprintf(m->rep, "%s\n", hex);
		m->found++;
	}
	return rc;
}

static int on_file(void *arg, const struct cg_digest_result *dig, const void *path, size_t plen)
{
	struct mctx *m = arg;
	static const struct {
		unsigned bit;
		enum cg_ioc_type type;
		size_t off;
	} k[] = {
	    {CG_HASH_SHA256, CG_IOC_SHA256, offsetof(struct cg_digest_result, sha256)},
	    {CG_HASH_MD5, CG_IOC_MD5, offsetof(struct cg_digest_result, md5)},
	    {CG_HASH_SHA1, CG_IOC_SHA1, offsetof(struct cg_digest_result, sha1)},
	};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
		uint32_t hits[8];
		if (!(dig->have & k[i].bit))
			continue;
		int n = cg_iocset_lookup_hash(m->set, k[i].type, (const uint8_t *)dig + k[i].off,
		                              hits, 8);
		for (int j = 0; j < n && j < 8; j++) {
			int rc = report(m, hits[j], dig, path, plen);
			if (rc)
				return rc;
		}
	}
	return cg_stop_requested() ? CG_ETIMEOUT : 0;
}

/* Loads iocs.txt into m->set (payload: line number) and the reported pairs into m->seen. */
static int load(struct mctx *m, const char *path, const char *rpath)
{
	char line[MAX_LINE + 2];
	size_t n = 0, cap = 0;
	int rc = cg_iocset_new(&m->set);
	if (rc == 0)
		rc = cg_iocset_new(&m->seen);
	m->lines = rc == 0 ? fopen(path, "rb" CG_FOPEN_E) : NULL;
	if (rc == 0 && !m->lines)
		rc = errno == ENOENT ? CG_ENOENT : CG_EIO;
	while (rc == 0) {
		off_t at = ftello(m->lines);
		if (!fgets(line, sizeof line, m->lines))
			break;
		char *tab = strchr(line, '\t'), *end;
		if (!tab)
			continue;
		*tab = 0;
		end = strchr(tab + 1, '\t');
		if (end)
			*end = 0;
		enum cg_ioc_type t = type_of(line);
		if (!t || n >= CG_MAX_IOCSET_ENTRIES)
			continue;
		rc = cg_grow((void **)&m->off, &cap, n + 1, sizeof *m->off, CG_MAX_IOCSET_ENTRIES);
		if (rc == 0) {
			m->off[n] = (uint64_t)at;
			int e = cg_iocset_add(m->set, t, tab + 1, (uint32_t)n);
			if (e == 0)
				n++;
			else if (e != CG_EPARSE)
				rc = e;
		}
	}
	if (rc == 0)
		rc = cg_iocset_finish(m->set);
	FILE *r = rc == 0 ? fopen(rpath, "rb" CG_FOPEN_E) : NULL;
	while (r && rc == 0 && fgets(line, sizeof line, r)) {
		line[strcspn(line, "\n")] = 0;
		if (strlen(line) == 64)
			(void)cg_iocset_add(m->seen, CG_IOC_SHA256, line, 0);
	}
	if (r)
		fclose(r);
	if (rc == 0)
		rc = cg_iocset_finish(m->seen);
	return rc;
}

int cg_agent_iocs_match(struct cg_agent *a)
{
	char path[4200], rpath[4200], sdb[4200];
	struct mctx m = {.a = a};
	struct cg_scandb *db = NULL;
	struct stat st;
	apath(a, "iocs.txt", path, sizeof path);
	apath(a, "ioc_reported", rpath, sizeof rpath);
	snprintf(sdb, sizeof sdb, "%s/scan.db", a->data_dir);
	if (stat(path, &st) != 0 || stat(sdb, &st) != 0)
		return 0; /* no list, or nothing scanned yet */
	int rc = load(&m, path, rpath);
	if (rc == 0)
		rc = cg_scandb_open(sdb, &db);
	if (rc == 0 && !(m.rep = fopen(rpath, "ab" CG_FOPEN_E)))
		rc = CG_EIO;
	if (rc == 0)
		rc = cg_scandb_each_digest(db, on_file, &m);
	if (m.rep && cg_stream_sync(m.rep) != 0 && rc == 0)
		rc = CG_EIO;
	if (m.rep)
		fclose(m.rep);
	if (m.found)
		cg_agent_log(CG_LOG_WARNING, "%ld tệp trùng danh sách IOC",
		             "%ld files match IOC lists", m.found);
	cg_scandb_close(db);
	if (m.lines)
		fclose(m.lines);
	cg_iocset_free(m.set);
	cg_iocset_free(m.seen);
	cg_free(m.off);
	return rc;
}
