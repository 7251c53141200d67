/* table_xlsx.c - the XLSX reader: the zip (libarchive, from memory, every part capped), the
 * hardened XML runner (expat), and the workbook parts: sheet list, relationships, shared
 * strings and styles. Worksheets are read by table_xlsx_sheet.c. */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/table.h"
#include "canhgac/text.h"
#include "text_int.h"
#include "xlsx_int.h"
#include "banned.h"

/* ---- XML ---- */

static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

const char *cg_xml_attr(const char **attrs, const char *name)
{
	for (size_t i = 0; attrs && attrs[i] && attrs[i + 1]; i += 2)
		if (strcmp(local(attrs[i]), name) == 0)
			return attrs[i + 1];
	return NULL;
}

void cg_xml_fail(struct cg_xml *x, int code)
{
	if (!x->err)
		x->err = code;
	XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct cg_xml *x = ud;
	if (x->err)
		return;
	if (++x->depth > CG_MAX_XML_DEPTH) {
		cg_xml_fail(x, CG_ELIMIT);
		return;
	}
	if (x->start)
		x->start(x, local(name), attrs);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct cg_xml *x = ud;
	if (x->err)
		return;
	x->depth--;
	if (x->end)
		x->end(x, local(name));
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct cg_xml *x = ud;
	if (!x->err && x->text)
		x->text(x, s, len);
}

/* A DOCTYPE has no business in OOXML; refusing it rules out entity expansion attacks. */
static void XMLCALL on_doctype(void *ud, const XML_Char *n, const XML_Char *s, const XML_Char *p,
                               int i)
{
	(void)n, (void)s, (void)p, (void)i;
	cg_xml_fail(ud, CG_EPARSE);
}

static void XMLCALL on_entity(void *ud, const XML_Char *n, int pe, const XML_Char *v, int vl,
                              const XML_Char *b, const XML_Char *s, const XML_Char *p,
                              const XML_Char *nn)
{
	(void)n, (void)pe, (void)v, (void)vl, (void)b, (void)s, (void)p, (void)nn;
	cg_xml_fail(ud, CG_EPARSE);
}

int cg_xml_run(struct cg_xml *x, const char *buf, size_t len)
{
	size_t off = 0;
	int rc = CG_OK;

	x->p = XML_ParserCreate(NULL);
	if (!x->p)
		return CG_ENOMEM;
	x->depth = 0;
	x->err = 0;
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, on_start, on_end);
	XML_SetCharacterDataHandler(x->p, on_text);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	XML_SetEntityDeclHandler(x->p, on_entity);
	/* Feed in pieces: XML_Parse takes an int length. */
	do {
		size_t n = len - off > (1u << 24) ? (1u << 24) : len - off;
		int last = off + n == len;
		if (XML_Parse(x->p, buf + off, (int)n, last) != XML_STATUS_OK) {
			rc = x->err ? x->err : CG_EPARSE;
			break;
		}
		off += n;
	} while (off < len);
	if (rc == CG_OK && x->err)
		rc = x->err;
	XML_ParserFree(x->p);
	x->p = NULL;
	return rc;
}

/* ---- zip ---- */

struct part {
	char *name;
	char *data;
	size_t len;
};

struct parts {
	struct part *v;
	size_t n, cap, total;
};

static void parts_free(struct parts *P)
{
	for (size_t i = 0; i < P->n; i++) {
		cg_free(P->v[i].name);
		cg_free(P->v[i].data);
	}
	cg_free(P->v);
}

static const struct part *part_find(const struct parts *P, const char *name)
{
	for (size_t i = 0; i < P->n; i++)
		if (strcasecmp(P->v[i].name, name) == 0)
			return &P->v[i];
	return NULL;
}

static int wanted(const char *name)
{
	size_t n = strlen(name);
	return (n > 4 && strcasecmp(name + n - 4, ".xml") == 0) ||
	       (n > 5 && strcasecmp(name + n - 5, ".rels") == 0);
}

static int read_entry(struct archive *a, struct archive_entry *e, struct parts *P,
                      struct cg_xlsx *X, const char *name)
{
	struct cg_sbuf b = {0};
	char chunk[65536];
	la_ssize_t r;
	int rc = CG_OK;

	b.max = CG_MAX_XLSX_PART;
	if (archive_entry_size_is_set(e) && archive_entry_size(e) > (la_int64_t)CG_MAX_XLSX_PART)
		rc = CG_ELIMIT;
	while (rc == CG_OK && (r = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
		if (P->total + (size_t)r > CG_MAX_XLSX_EXPANDED)
			rc = CG_ELIMIT;
		else if ((rc = cg_sbuf_add(&b, chunk, (size_t)r)) == CG_OK)
			P->total += (size_t)r;
	}
	if (rc == CG_OK && r < 0)
		rc = CG_EPARSE;
	if (rc == CG_OK)
		rc = cg_grow((void **)&P->v, &P->cap, P->n + 1, sizeof(*P->v), CG_MAX_XLSX_ENTRIES);
	if (rc == CG_OK) {
		P->v[P->n].name = cg_strdup(name);
		P->v[P->n].len = b.n;
		P->v[P->n].data = cg_sbuf_take(&b);
		if (!P->v[P->n].name || !P->v[P->n].data) {
			cg_free(P->v[P->n].name);
			cg_free(P->v[P->n].data);
			rc = CG_ENOMEM;
		} else {
			P->n++;
		}
	}
	cg_sbuf_free(&b);
	if (rc == CG_ELIMIT)
		cg_diags_add(X->d, rc, X->src, 0, 0,
		             CG_MSG("phần %s của tệp XLSX giải nén quá lớn",
		                    "XLSX part %s is too large when uncompressed"),
		             name);
	else if (rc == CG_EPARSE)
		cg_diags_add(
		    X->d, rc, X->src, 0, 0,
		    CG_MSG("không giải nén được phần %s: %s", "cannot uncompress part %s: %s"),
		    name, archive_error_string(a) ? archive_error_string(a) : "?");
	return rc;
}

static int load_parts(const uint8_t *buf, size_t len, struct parts *P, struct cg_xlsx *X)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	size_t entries = 0;
	int rc = CG_OK, r;

	if (!a)
		return CG_ENOMEM;
	archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, buf, len) != ARCHIVE_OK) {
		rc = CG_EPARSE;
		goto out;
	}
	while (rc == CG_OK && (r = archive_read_next_header(a, &e)) != ARCHIVE_EOF) {
		const char *name = archive_entry_pathname(e);
		if (r < ARCHIVE_WARN) {
			rc = CG_EPARSE;
			break;
		}
		if (++entries > CG_MAX_XLSX_ENTRIES) {
			rc = CG_ELIMIT;
			break;
		}
		while (name && (*name == '/' || (name[0] == '.' && name[1] == '/')))
			name += *name == '/' ? 1 : 2;
		if (name && wanted(name) && !part_find(P, name))
			rc = read_entry(a, e, P, X, name);
	}
out:
	if (rc == CG_EPARSE && !P->n)
		cg_diags_add(X->d, rc, X->src, 0, 0,
		             CG_MSG("không phải tệp XLSX (zip) hợp lệ: %s",
		                    "not a valid XLSX (zip) file: %s"),
		             archive_error_string(a) ? archive_error_string(a) : "?");
	else if (rc == CG_ELIMIT && entries > CG_MAX_XLSX_ENTRIES)
		cg_diags_add(X->d, rc, X->src, 0, 0,
		             CG_MSG("tệp XLSX có quá %d phần", "XLSX file has more than %d parts"),
		             CG_MAX_XLSX_ENTRIES);
	archive_read_free(a);
	return rc;
}

/* ---- workbook and relationships ---- */

struct wb {
	struct cg_xml x;
	char **names, **rids; /* sheets in order */
	size_t n, cap;
	char **ids, **targets, **types; /* relationships */
	size_t nrel, relcap;
};

static int push3(char ***a, char ***b, char ***c, size_t *n, size_t *cap, const char *va,
                 const char *vb, const char *vc, size_t max)
{
	size_t ca = *cap, cb = *cap, cc = *cap;
	int rc = cg_grow((void **)a, &ca, *n + 1, sizeof(char *), max);
	if (!rc)
		rc = cg_grow((void **)b, &cb, *n + 1, sizeof(char *), max);
	if (!rc && c)
		rc = cg_grow((void **)c, &cc, *n + 1, sizeof(char *), max);
	if (rc)
		return rc;
	*cap = ca < cb ? ca : cb;
	if (c && cc < *cap)
		*cap = cc;
	(*a)[*n] = cg_strdup(va);
	(*b)[*n] = cg_strdup(vb);
	if (c)
		(*c)[*n] = cg_strdup(vc);
	(*n)++;
	if (!(*a)[*n - 1] || !(*b)[*n - 1] || (c && !(*c)[*n - 1]))
		return CG_ENOMEM;
	return CG_OK;
}

static void wb_start(struct cg_xml *x, const char *name, const char **at)
{
	struct wb *w = (struct wb *)x;
	int rc = CG_OK;

	if (strcmp(name, "sheet") == 0) {
		const char *nm = cg_xml_attr(at, "name"), *id = cg_xml_attr(at, "id");
		rc = push3(&w->names, &w->rids, NULL, &w->n, &w->cap, nm ? nm : "", id ? id : "",
		           NULL, CG_MAX_TABLE_SHEETS);
	} else if (strcmp(name, "Relationship") == 0) {
		const char *id = cg_xml_attr(at, "Id"), *t = cg_xml_attr(at, "Target");
		const char *ty = cg_xml_attr(at, "Type");
		rc = push3(&w->ids, &w->targets, &w->types, &w->nrel, &w->relcap, id ? id : "",
		           t ? t : "", ty ? ty : "", CG_MAX_XLSX_ENTRIES);
	}
	if (rc)
		cg_xml_fail(x, rc);
}

static void wb_free(struct wb *w)
{
	for (size_t i = 0; i < w->n; i++) {
		cg_free(w->names[i]);
		cg_free(w->rids[i]);
	}
	for (size_t i = 0; i < w->nrel; i++) {
		cg_free(w->ids[i]);
		cg_free(w->targets[i]);
		cg_free(w->types[i]);
	}
	cg_free(w->names);
	cg_free(w->rids);
	cg_free(w->ids);
	cg_free(w->targets);
	cg_free(w->types);
}

/* Resolves a relationship target against xl/ ("worksheets/s.xml", "/xl/s.xml",
 * "../xl/s.xml") into a part name. */
static void resolve(const char *target, char *out, size_t cap)
{
	char tmp[512];
	size_t n = 0;
	const char *p;

	if (target[0] == '/')
		snprintf(tmp, sizeof(tmp), "%s", target + 1);
	else
		snprintf(tmp, sizeof(tmp), "xl/%s", target);
	out[0] = '\0';
	for (p = tmp; *p;) {
		const char *slash = strchr(p, '/');
		size_t sl = slash ? (size_t)(slash - p) : strlen(p);
		if (sl == 2 && p[0] == '.' && p[1] == '.') {
			while (n && out[n - 1] != '/')
				n--;
			if (n)
				n--;
			while (n && out[n - 1] != '/')
				n--;
		} else if (!(sl == 1 && p[0] == '.') && sl && n + sl + 1 < cap) {
			memcpy(out + n, p, sl);
			n += sl;
			if (slash)
				out[n++] = '/';
		}
		out[n] = '\0';
		p += sl + (slash ? 1 : 0);
	}
}

static const char *rel_by(const struct wb *w, const char *id, const char *type_suffix)
{
	for (size_t i = 0; i < w->nrel; i++) {
		size_t tl = strlen(w->types[i]), sl = type_suffix ? strlen(type_suffix) : 0;
		if (id && strcmp(w->ids[i], id) == 0)
			return w->targets[i];
		if (type_suffix && tl >= sl && strcmp(w->types[i] + tl - sl, type_suffix) == 0)
			return w->targets[i];
	}
	return NULL;
}

/* ---- shared strings ---- */

struct sst {
	struct cg_xml x;
	struct cg_xlsx *X;
	struct cg_sbuf s;
	int in_si, in_t, rph;
};

static void sst_start(struct cg_xml *x, const char *name, const char **at)
{
	struct sst *S = (struct sst *)x;
	(void)at;
	if (strcmp(name, "si") == 0) {
		S->in_si = 1;
		S->s.n = 0;
		if (S->s.p)
			S->s.p[0] = '\0';
	} else if (strcmp(name, "rPh") == 0) {
		S->rph++;
	} else if (strcmp(name, "t") == 0 && S->in_si && !S->rph) {
		S->in_t = 1;
	}
}

static void sst_end(struct cg_xml *x, const char *name)
{
	struct sst *S = (struct sst *)x;
	struct cg_xlsx *X = S->X;
	char *text;
	int rc;

	if (strcmp(name, "t") == 0) {
		S->in_t = 0;
	} else if (strcmp(name, "rPh") == 0 && S->rph) {
		S->rph--;
	} else if (strcmp(name, "si") == 0 && S->in_si) {
		S->in_si = 0;
		rc = cg_grow((void **)&X->sst, &X->sstcap, X->nsst + 1, sizeof(char *),
		             CG_MAX_TABLE_CELLS);
		if (rc == CG_OK)
			rc = cg_xlsx_text(X, S->s.p ? S->s.p : "", S->s.n, &text);
		if (rc == CG_OK)
			X->sst[X->nsst++] = text;
		else
			cg_xml_fail(x, rc);
	}
}

static void sst_text(struct cg_xml *x, const char *s, int len)
{
	struct sst *S = (struct sst *)x;
	int rc;
	if (S->in_t && (rc = cg_sbuf_add(&S->s, s, (size_t)len)) != CG_OK)
		cg_xml_fail(x, rc);
}

/* ---- styles ---- */

struct styles {
	struct cg_xml x;
	struct cg_xlsx *X;
	int in_xfs;
	unsigned *date_ids; /* custom number formats that show dates */
	size_t nids, idcap;
};

/* A custom format shows a date or time when it has d, m, y or h outside quotes, brackets
 * ([Red], [$-42A]) and backslash escapes. */
static int fmt_is_date(const char *f)
{
	int q = 0, br = 0;
	if (strcasecmp(f, "General") == 0)
		return 0;
	for (; *f; f++) {
		if (q) {
			q = *f != '"';
		} else if (br) {
			br = *f != ']';
		} else if (*f == '"') {
			q = 1;
		} else if (*f == '[') {
			br = 1;
		} else if (*f == '\\' || *f == '_' || *f == '*') {
			if (f[1])
				f++;
		} else if (strchr("dmyhDMYH", *f)) {
			return 1;
		}
	}
	return 0;
}

static unsigned long num_attr(const char **at, const char *name, unsigned long dflt)
{
	const char *v = cg_xml_attr(at, name);
	char *end;
	unsigned long n;
	if (!v || !*v)
		return dflt;
	n = strtoul(v, &end, 10);
	return *end ? dflt : n;
}

static void st_start(struct cg_xml *x, const char *name, const char **at)
{
	struct styles *S = (struct styles *)x;
	struct cg_xlsx *X = S->X;
	unsigned long id;
	int rc = CG_OK;

	if (strcmp(name, "numFmt") == 0) {
		const char *code = cg_xml_attr(at, "formatCode");
		id = num_attr(at, "numFmtId", 0);
		if (code && fmt_is_date(code)) {
			rc = cg_grow((void **)&S->date_ids, &S->idcap, S->nids + 1,
			             sizeof(unsigned), CG_MAX_XLSX_STYLES);
			if (rc == CG_OK)
				S->date_ids[S->nids++] = (unsigned)id;
		}
	} else if (strcmp(name, "cellXfs") == 0) {
		S->in_xfs = 1;
	} else if (strcmp(name, "xf") == 0 && S->in_xfs) {
		int date;
		id = num_attr(at, "numFmtId", 0);
		date = (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
		for (size_t i = 0; i < S->nids && !date; i++)
			date = S->date_ids[i] == id;
		rc = cg_grow((void **)&X->xf_date, &X->xfcap, X->nxf + 1, 1, CG_MAX_XLSX_STYLES);
		if (rc == CG_OK)
			X->xf_date[X->nxf++] = (uint8_t)date;
	}
	if (rc)
		cg_xml_fail(x, rc);
}

static void st_end(struct cg_xml *x, const char *name)
{
	if (strcmp(name, "cellXfs") == 0)
		((struct styles *)x)->in_xfs = 0;
}

/* ---- the reader ---- */

static int part_error(struct cg_xlsx *X, const char *part, int rc)
{
	if (rc == CG_ENOMEM)
		return rc;
	return cg_diags_add(
	    X->d, rc, X->src, 0, 0,
	    CG_MSG("phần %s của tệp XLSX không đọc được (%s)", "cannot read XLSX part %s (%s)"),
	    part, cg_strerror(rc));
}

static int read_aux(struct cg_xlsx *X, const struct parts *P, const struct wb *w)
{
	const char *t;
	const struct part *pt;
	char name[512];
	int rc = CG_OK;

	t = rel_by(w, NULL, "/sharedStrings");
	resolve(t ? t : "sharedStrings.xml", name, sizeof(name));
	if ((pt = part_find(P, name)) != NULL) {
		struct sst S = {.X = X};
		S.x.start = sst_start;
		S.x.end = sst_end;
		S.x.text = sst_text;
		S.s.max = CG_MAX_TABLE_CELL;
		rc = cg_xml_run(&S.x, pt->data, pt->len);
		cg_sbuf_free(&S.s);
		if (rc)
			return part_error(X, name, rc);
	}
	t = rel_by(w, NULL, "/styles");
	resolve(t ? t : "styles.xml", name, sizeof(name));
	if ((pt = part_find(P, name)) != NULL) {
		struct styles S = {.X = X};
		S.x.start = st_start;
		S.x.end = st_end;
		rc = cg_xml_run(&S.x, pt->data, pt->len);
		cg_free(S.date_ids);
		if (rc)
			return part_error(X, name, rc);
	}
	return CG_OK;
}

static int read_workbook(struct cg_xlsx *X, const struct parts *P)
{
	const struct part *wbp = part_find(P, "xl/workbook.xml");
	const struct part *rel = part_find(P, "xl/_rels/workbook.xml.rels");
	struct wb w;
	char name[512];
	int rc;

	memset(&w, 0, sizeof(w));
	w.x.start = wb_start;
	if (!wbp)
		return cg_diags_add(X->d, CG_EPARSE, X->src, 0, 0,
		                    CG_MSG("tệp zip không có xl/workbook.xml: không phải XLSX",
		                           "zip file has no xl/workbook.xml: not an XLSX file"));
	rc = cg_xml_run(&w.x, wbp->data, wbp->len);
	if (rc == CG_OK && rel)
		rc = cg_xml_run(&w.x, rel->data, rel->len);
	if (rc) {
		rc = part_error(X, "xl/workbook.xml", rc);
		goto out;
	}
	if ((rc = read_aux(X, P, &w)) != CG_OK)
		goto out;
	for (size_t i = 0; i < w.n && rc == CG_OK; i++) {
		const char *t = rel_by(&w, w.rids[i], NULL);
		const struct part *sp;
		resolve(t ? t : "", name, sizeof(name));
		sp = t ? part_find(P, name) : NULL;
		if (!sp) {
			cg_diags_add(X->d, CG_EPARSE, X->src, 0, 0,
			             CG_MSG("không tìm thấy trang tính \"%s\"",
			                    "worksheet \"%s\" not found"),
			             w.names[i]);
			rc = cg_tb_sheet(&X->b, w.names[i]);
			continue;
		}
		rc = cg_xlsx_sheet(X, w.names[i], sp->data, sp->len);
	}
out:
	wb_free(&w);
	return rc;
}

int cg_table_read_xlsx(const uint8_t *buf, size_t len, const char *source, struct cg_table **out,
                       struct cg_diags *d)
{
	struct parts P = {0};
	struct cg_xlsx X;
	int rc;

	if (!out || (!buf && len))
		return CG_EINVAL;
	*out = NULL;
	memset(&X, 0, sizeof(X));
	X.src = source ? source : "?";
	X.d = d;
	if (len > CG_MAX_TABLE_INPUT)
		return cg_diags_add(d, CG_ELIMIT, X.src, 0, 0,
		                    CG_MSG("tệp lớn quá %lu byte", "file larger than %lu bytes"),
		                    (unsigned long)CG_MAX_TABLE_INPUT);
	if ((rc = cg_tb_init(&X.b, CG_TABLE_XLSX)) != CG_OK)
		return rc;
	snprintf(X.b.t->encoding, sizeof(X.b.t->encoding), "XLSX");
	rc = load_parts(buf ? buf : (const uint8_t *)"", len, &P, &X);
	if (rc == CG_OK)
		rc = read_workbook(&X, &P);
	parts_free(&P);
	for (size_t i = 0; i < X.nsst; i++)
		if (X.sst[i] != cg_table_empty)
			cg_free(X.sst[i]);
	cg_free(X.sst);
	cg_free(X.xf_date);
	if (rc) {
		cg_tb_abort(&X.b);
		return rc;
	}
	if (X.legacy[0])
		snprintf(X.b.t->encoding, sizeof(X.b.t->encoding), "%s", X.legacy);
	*out = X.b.t;
	return CG_OK;
}
