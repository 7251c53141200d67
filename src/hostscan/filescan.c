/* filescan.c - one pass over one file: digests, body signatures, YARA rules, archive members. */
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/archive.h"
#include "canhgac/bodysig.h"
#include "canhgac/error.h"
#include "canhgac/fileio.h"
#include "canhgac/filescan.h"
#include "canhgac/hashsig.h"
#include "canhgac/yarars.h"
#include "banned.h"

/* The state of one byte stream: the file itself, or one archive member. */
struct stream {
	struct cg_digest *dig;
	struct cg_bodysig_scan *body;
	uint8_t *ybuf; /* the whole stream, for YARA rules */
	size_t ylen, ycap;
	int yara_over;
	uint64_t size;
	uint64_t fed; /* bytes actually seen */
	unsigned mask;
};

struct cg_filescan {
	struct cg_filescan_cfg cfg;
	uint8_t *chunk;
	struct stream top, mem;
	/* archive member being visited */
	struct cg_fileresult *r;
	char member[CG_ARC_MAX_NAME * 2];
};

static int stream_init(const struct cg_filescan_cfg *cfg, struct stream *s)
{
	int rc = cg_digest_new(&s->dig);
	if (rc == 0 && cfg->body)
		rc = cg_bodysig_scan_new(cfg->body, &s->body);
	return rc;
}

static void stream_fini(struct stream *s)
{
	cg_digest_free(s->dig);
	cg_bodysig_scan_free(s->body);
	cg_free(s->ybuf);
}

int cg_filescan_new(const struct cg_filescan_cfg *cfg, struct cg_filescan **out)
{
	struct cg_filescan *fs = cg_calloc(1, sizeof(*fs));
	int rc;
	if (!fs)
		return CG_ENOMEM;
	fs->cfg = *cfg;
	fs->chunk = cg_malloc(CG_SCAN_CHUNK);
	rc = fs->chunk ? CG_OK : CG_ENOMEM;
	if (rc == 0)
		rc = stream_init(cfg, &fs->top);
	if (rc == 0)
		rc = stream_init(cfg, &fs->mem);
	if (rc) {
		cg_filescan_free(fs);
		return rc;
	}
	*out = fs;
	return CG_OK;
}

void cg_filescan_free(struct cg_filescan *fs)
{
	if (!fs)
		return;
	stream_fini(&fs->top);
	stream_fini(&fs->mem);
	cg_free(fs->chunk);
	cg_free(fs);
}

static int stream_begin(struct cg_filescan *fs, struct stream *s, uint64_t size, unsigned mask)
{
	int rc = cg_digest_begin(s->dig, mask);
	s->size = size;
	s->fed = 0;
	s->mask = mask;
	s->ylen = 0;
	s->yara_over = 0;
	if (rc == 0 && s->body)
		rc = cg_bodysig_begin(s->body, size);
	(void)fs;
	return rc;
}

static int stream_feed(struct cg_filescan *fs, struct stream *s, const uint8_t *p, size_t n)
{
	int rc = cg_digest_update(s->dig, p, n);
	s->fed += n;
	if (rc == 0 && s->body)
		rc = cg_bodysig_feed(s->body, p, n);
	if (rc == 0 && fs->cfg.yara && !s->yara_over) {
		if (s->ylen + n > CG_MAX_YARA_BUFFER) {
			s->yara_over = 1;
		} else if (cg_grow((void **)&s->ybuf, &s->ycap, s->ylen + n, 1,
		                   CG_MAX_YARA_BUFFER)) {
			s->yara_over = 1;
		} else {
			memcpy(s->ybuf + s->ylen, p, n);
			s->ylen += n;
		}
	}
	return rc;
}

struct hitctx {
	struct cg_fileresult *r;
	const struct cg_bodysig_set *body;
	const char *member;
};

static int on_body(void *arg, unsigned id)
{
	struct hitctx *h = arg;
	cg_fileresult_add(h->r, CG_HIT_BODY, cg_bodysig_name(h->body, id), h->member);
	return 0;
}

static int on_hash_hit(void *arg, int type, const char *name)
{
	struct hitctx *h = arg;
	cg_fileresult_add(h->r, type, name, h->member);
	return 0;
}

static int on_yara(void *arg, const char *rule, const char *ns)
{
	struct hitctx *h = arg;
	(void)ns;
	cg_fileresult_add(h->r, CG_HIT_YARA, rule, h->member);
	return 0;
}

/* Finishes a stream: body signatures, YARA rules, and (members only) hash signatures. */
static int stream_end(struct cg_filescan *fs, struct stream *s, struct cg_fileresult *r,
                      struct cg_digest_result *dig, const char *member)
{
	struct hitctx h = {r, fs->cfg.body, member};
	int rc = cg_digest_end(s->dig, dig);
	if (rc == 0 && s->body)
		rc = cg_bodysig_end(s->body, on_body, &h);
	if (rc == 0 && fs->cfg.yara) {
		if (s->yara_over) {
			r->flags |= CG_FR_YARA_SKIPPED;
		} else {
			int yr = cg_yarars_scan(fs->cfg.yara, s->ybuf, s->ylen,
			                        fs->cfg.yara_timeout_s, on_yara, &h);
			if (yr == CG_ETIMEOUT)
				r->flags |= CG_FR_YARA_TIMEOUT;
			else if (yr)
				rc = yr;
		}
	}
	if (rc == 0 && member && fs->cfg.hashes)
		cg_match_digests(fs->cfg.hashes, dig, s->fed, on_hash_hit, &h);
	return rc;
}

/* Digests needed for a member: by its size when the archive gives it, else every algorithm
 * the bundle has (the size is known only at the end). */
static unsigned member_mask(const struct cg_filescan *fs, uint64_t size)
{
	unsigned m = CG_HASH_SHA256;
	if (!fs->cfg.hashes)
		return m;
	if (size != UINT64_MAX)
		return m | cg_hashsig_needed(fs->cfg.hashes, size);
	if (cg_hashsig_count(fs->cfg.hashes, CG_HASH_ALGO_MD5))
		m |= CG_HASH_MD5;
	if (cg_hashsig_count(fs->cfg.hashes, CG_HASH_ALGO_SHA1))
		m |= CG_HASH_SHA1;
	return m;
}

static int m_begin(void *arg, const char *path, uint64_t size, unsigned depth)
{
	struct cg_filescan *fs = arg;
	const char *bang = strchr(path, '!');
	(void)depth;
	/* Members are named "file!member"; keep the part after the top-level file's name. */
	snprintf(fs->member, sizeof(fs->member), "%s", bang ? bang + 1 : path);
	return stream_begin(fs, &fs->mem, size, member_mask(fs, size));
}

static int m_data(void *arg, const uint8_t *p, size_t n)
{
	struct cg_filescan *fs = arg;
	return stream_feed(fs, &fs->mem, p, n);
}

static int m_end(void *arg)
{
	struct cg_filescan *fs = arg;
	struct cg_digest_result d;
	return stream_end(fs, &fs->mem, fs->r, &d, fs->member);
}

static int scan_archive(struct cg_filescan *fs, int fd, const char *name, struct cg_fileresult *r)
{
	struct cg_arc_limits lim;
	struct cg_arc_visitor v = {m_begin, m_data, m_end, fs};
	struct cg_arc_stats st;
	int rc;

	memset(&st, 0, sizeof(st));
	cg_arc_limits_default(&lim);
	fs->r = r;
	rc = cg_arc_scan_fd(fd, name ? name : "", &lim, &v, &st);
	r->flags |= CG_FR_ARC_SCANNED;
	if (st.limit_hit)
		r->flags |= CG_FR_ARC_LIMIT;
	if (st.encrypted)
		r->flags |= CG_FR_ARC_ENCRYPTED;
	if (st.corrupt || rc == CG_EPARSE)
		r->flags |= CG_FR_ARC_CORRUPT;
	/* A damaged or bounded archive is reported through the flags; the file itself was read. */
	return rc == CG_ENOMEM ? rc : CG_OK;
}

/* A file with a finding always gets its SHA-256 (the finding's record names it, and the
 * quarantine checks it), even when the scan skipped digests no signature needed: read it once
 * more, rarely. */
static int add_sha256(struct cg_filescan *fs, int fd, struct cg_fileresult *r)
{
	struct cg_digest_result d;
	uint64_t off = 0;
	int rc = cg_digest_begin(fs->top.dig, CG_HASH_SHA256);
	while (rc == 0) {
		int64_t n = cg_file_pread(fd, fs->chunk, CG_SCAN_CHUNK, off);
		if (n <= 0) {
			rc = n < 0 ? (int)n : 0;
			break;
		}
		rc = cg_digest_update(fs->top.dig, fs->chunk, (size_t)n);
		off += (uint64_t)n;
	}
	if (rc == 0)
		rc = cg_digest_end(fs->top.dig, &d);
	if (rc)
		return rc;
	if (off != r->bytes) {
		r->flags |= CG_FR_CHANGED;
		return 0;
	}
	memcpy(r->dig.sha256, d.sha256, 32);
	r->dig.have |= CG_HASH_SHA256;
	return 0;
}

int cg_filescan_fd(struct cg_filescan *fs, int fd, const char *name, uint64_t size, unsigned mask,
                   unsigned flags, struct cg_fileresult *r)
{
	struct stream *s = &fs->top;
	uint8_t head[512];
	size_t headlen = 0;
	uint64_t off = 0;
	int rc = stream_begin(fs, s, size, mask);

	while (rc == 0) {
		int64_t n = cg_file_pread(fd, fs->chunk, CG_SCAN_CHUNK, off);
		if (n < 0) {
			rc = (int)n;
			break;
		}
		if (n == 0)
			break;
		if (headlen < sizeof(head)) {
			size_t k =
			    sizeof(head) - headlen < (size_t)n ? sizeof(head) - headlen : (size_t)n;
			memcpy(head + headlen, fs->chunk, k);
			headlen += k;
		}
		rc = stream_feed(fs, s, fs->chunk, (size_t)n);
		off += (uint64_t)n;
	}
	r->bytes = off;
	if (rc == 0 && off != size)
		r->flags |= CG_FR_CHANGED;
	if (rc == 0)
		rc = stream_end(fs, s, r, &r->dig, NULL);
	if (rc == 0 && headlen && cg_arc_detect(head, headlen)) {
		r->flags |= CG_FR_ARCHIVE;
		if (flags & CG_FS_ARCHIVES)
			rc = scan_archive(fs, fd, name, r);
	}
	if (rc == 0 && r->nhits && !(r->dig.have & CG_HASH_SHA256))
		rc = add_sha256(fs, fd, r);
	r->rc = rc;
	return rc;
}
