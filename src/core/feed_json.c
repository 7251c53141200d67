/* feed_json.c - bounded JSON loading and typed field access for the feed parsers. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/limits.h"
#include "feed_json.h"
#include "feed_val.h"
#include "banned.h"

int cg_fj_load(const uint8_t *buf, size_t len, const char *source, json_t **root,
               struct cg_diags *d)
{
	json_error_t je;

	*root = NULL;
	if (len > CG_MAX_JSON_INPUT)
		return cg_diags_add(
		    d, CG_ELIMIT, source, 0, 0,
		    CG_MSG("tệp JSON lớn hơn %lu byte", "JSON file larger than %lu bytes"),
		    (unsigned long)CG_MAX_JSON_INPUT);
	*root = json_loadb(len ? (const char *)buf : "", len, 0, &je);
	if (!*root)
		return cg_diags_add(d, CG_EPARSE, source,
		                    (unsigned long)(je.line > 0 ? je.line : 0),
		                    (unsigned)(je.column > 0 ? je.column : 0),
		                    CG_MSG("JSON không hợp lệ: %s", "invalid JSON: %s"), je.text);
	return CG_OK;
}

const char *cg_fj_str(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int64_t cg_fj_time(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	int64_t t;
	const char *s;
	char *end;

	if (json_is_integer(v)) {
		t = (int64_t)json_integer_value(v);
		return t > 0 && t < 253402300800LL ? t : CG_TIME_NONE;
	}
	if (!json_is_string(v))
		return CG_TIME_NONE;
	s = json_string_value(v);
	if (s[0] >= '0' && s[0] <= '9' && strspn(s, "0123456789") == strlen(s) && strlen(s) <= 12) {
		t = strtoll(s, &end, 10);
		return t > 0 && t < 253402300800LL ? t : CG_TIME_NONE;
	}
	if (cg_fv_time_text(s, strlen(s), 0, &t))
		return CG_TIME_NONE;
	return t;
}
