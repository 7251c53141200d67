/* admin_out.c - `canhgac admin`'s output for people (admin.h): tables with headers in the current
 * language, dates as dd/mm/yyyy HH:MM in UTC+7, objects as "key: value". What the server sends is
 * treated as hostile: control characters never reach the terminal, cells are cut to 60 columns. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "canhgac/alloc.h"
#include "admin.h"
#include "banned.h"

#define CELL_MAX 60    /* columns shown of one cell */
#define CELL_BYTES 256 /* bytes kept of one cell */
#define MAX_COLS 16
#define VN_OFFSET_S 25200 /* UTC+7 */

void cg_admin_date(int64_t ms, char out[32])
{
	struct tm tm;
	time_t t;

	if (ms <= 0) {
		snprintf(out, 32, "-");
		return;
	}
	t = (time_t)(ms / 1000 + VN_OFFSET_S);
	if (!gmtime_r(&t, &tm) || strftime(out, 32, "%d/%m/%Y %H:%M", &tm) == 0)
		snprintf(out, 32, "?");
}

/* Copies s into out (cap bytes) with control characters (C0, DEL, C1) as '?', at most max
 * characters; returns the number of characters (UTF-8 lead bytes) kept. */
size_t cg_admin_clean(const char *s, char *out, size_t cap, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, chars = 0;

	while (*p && chars < max && o + 5 < cap) {
		size_t n = 1;
		if (*p >= 0xc0)
			while ((p[n] & 0xc0) == 0x80 && n < 4)
				n++;
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && n == 2 && p[1] < 0xa0) ||
		    (*p >= 0x80 && *p < 0xc0)) {
			out[o++] = '?';
		} else {
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
		chars++;
	}
	if (*p && o + 3 < cap) {
		memcpy(out + o, "...", 3);
		o += 3;
		chars += 3;
	}
	out[o] = '\0';
	return chars;
}

/* The text of a member for people. */
static void value_text(const json_t *v, int kind, char *out, size_t cap)
{
	char tmp[CELL_BYTES], *js;

	if (!v || json_is_null(v)) {
		snprintf(tmp, sizeof(tmp), "-");
	} else if (json_is_string(v)) {
		snprintf(tmp, sizeof(tmp), "%s", json_string_value(v));
	} else if (json_is_integer(v) && kind == CG_COL_DATE) {
		cg_admin_date((int64_t)json_integer_value(v), tmp);
	} else if (json_is_integer(v)) {
		snprintf(tmp, sizeof(tmp), "%lld", (long long)json_integer_value(v));
	} else if (json_is_boolean(v)) {
		snprintf(tmp, sizeof(tmp), "%s",
		         json_is_true(v) ? cg_tr("có", "yes") : cg_tr("không", "no"));
	} else {
		js = json_dumps(v, JSON_COMPACT);
		snprintf(tmp, sizeof(tmp), "%s", js ? js : "?");
		cg_free(js);
	}
	cg_admin_clean(tmp, out, cap, CELL_MAX);
}

static size_t width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void cell(const char *s, size_t w, int last)
{
	fputs(s, stdout);
	if (last)
		return;
	for (size_t k = width(s); k < w + 2; k++)
		putchar(' ');
}

void cg_admin_table(const json_t *arr, const struct cg_admin_col *cols, size_t ncols)
{
	size_t w[MAX_COLS], i, k, n = json_array_size(arr);
	char buf[CELL_BYTES];

	if (ncols > MAX_COLS)
		ncols = MAX_COLS;
	for (k = 0; k < ncols; k++)
		w[k] = width(cg_tr(cols[k].vi, cols[k].en));
	for (i = 0; i < n; i++)
		for (k = 0; k < ncols; k++) {
			value_text(json_object_get(json_array_get(arr, i), cols[k].key),
			           cols[k].kind, buf, sizeof(buf));
			if (width(buf) > w[k])
				w[k] = width(buf);
		}
	for (k = 0; k < ncols; k++)
		cell(cg_tr(cols[k].vi, cols[k].en), w[k], k + 1 == ncols);
	putchar('\n');
	for (i = 0; i < n; i++) {
		for (k = 0; k < ncols; k++) {
			value_text(json_object_get(json_array_get(arr, i), cols[k].key),
			           cols[k].kind, buf, sizeof(buf));
			cell(buf, w[k], k + 1 == ncols);
		}
		putchar('\n');
	}
	if (n == 0)
		printf("%s\n", cg_tr("(không có)", "(none)"));
}

static int is_date_key(const char *k)
{
	size_t n = strlen(k);
	return n > 3 && strcmp(k + n - 3, "_ms") == 0;
}

/* An array of objects as a table whose columns are the members of its first row. */
static void sub_table(const json_t *arr)
{
	struct cg_admin_col cols[MAX_COLS];
	const char *key;
	json_t *v;
	size_t n = 0;

	json_object_foreach(json_array_get(arr, 0), key, v)
	{
		if (n == MAX_COLS || json_is_object(v) || json_is_array(v))
			continue;
		cols[n].key = cols[n].vi = cols[n].en = key;
		cols[n++].kind = is_date_key(key) ? CG_COL_DATE : CG_COL_TEXT;
	}
	cg_admin_table(arr, cols, n);
}

void cg_admin_show(const json_t *obj)
{
	const char *key;
	json_t *v;
	char kbuf[CELL_BYTES], buf[CELL_BYTES];

	json_object_foreach((json_t *)obj, key, v)
	{
		cg_admin_clean(key, kbuf, sizeof(kbuf), CELL_MAX);
		if (json_is_array(v) && json_is_object(json_array_get(v, 0))) {
			printf("\n%s:\n", kbuf);
			sub_table(v);
			continue;
		}
		value_text(v, is_date_key(key) ? CG_COL_DATE : CG_COL_TEXT, buf, sizeof(buf));
		printf("%s: %s\n", kbuf, buf);
	}
}

void cg_admin_json(const json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2));
	putchar('\n');
}

void cg_admin_diags(const json_t *diags)
{
	const char *lang = cg_lang_get() == CG_LANG_EN ? "message_en" : "message_vi";
	char src[CELL_BYTES], msg[1024];
	size_t i, n = json_array_size(diags);

	for (i = 0; i < n && i < 100; i++) {
		const json_t *d = json_array_get(diags, i);
		const char *m = json_string_value(json_object_get(d, lang));
		const char *s = json_string_value(json_object_get(d, "source"));
		cg_admin_clean(s ? s : "?", src, sizeof(src), CELL_MAX);
		cg_admin_clean(m ? m : "?", msg, sizeof(msg), 300);
		fprintf(stderr, "%s:%lld: %s\n", src,
		        (long long)json_integer_value(json_object_get(d, "line")), msg);
	}
}
