/* actlog.c - append-only JSON Lines log of actions taken on files (quarantine, restore...). */
#include <stdlib.h>
#include <string.h>

#include "canhgac/actlog.h"
#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/fileio.h"
#include "canhgac/fsafe.h"
#include "canhgac/fsat.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "canhgac/timeutil.h"
#include "banned.h"

/* The user fields: "uid" (POSIX) or "uid": -1 and "sid" (Windows, where users have no number). */
static int set_user(json_t *o)
{
	char sid[192];

	if (json_object_set_new(o, "uid", json_integer((json_int_t)cg_user_uid())))
		return -1;
	if (cg_user_sid(sid, sizeof(sid)) == 0)
		return json_object_set_new(o, "sid", json_string(sid));
	return 0;
}

/* Builds the record as one compact line ending in '\n'; the caller frees *line. */
static int build_line(const char *action, json_t *fields, char **line, size_t *len)
{
	char ts[32];
	json_t *o = json_object();
	char *s = NULL;
	int rc = CG_ENOMEM;

	if (!o)
		goto out;
	cg_time_iso8601_ms(ts, cg_now_ms());
	if (json_object_set_new(o, "time", json_string(ts)) ||
	    json_object_set_new(o, "action", json_string(action)) || set_user(o) ||
	    json_object_set_new(o, "pid", json_integer((json_int_t)cg_process_id())))
		goto out;
	if (fields && json_object_update_missing(o, fields))
		goto out;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!s)
		goto out;
	*len = strlen(s);
	if (*len + 1 > CG_ACTLOG_MAX_RECORD) {
		rc = CG_ELIMIT;
		goto out;
	}
	*line = cg_malloc(*len + 1);
	if (!*line)
		goto out;
	memcpy(*line, s, *len);
	(*line)[(*len)++] = '\n';
	rc = CG_OK;
out:
	free(s); /* jansson allocates with malloc */
	json_decref(o);
	return rc;
}

int cg_actlog_append(const char *path, const char *action, json_t *fields)
{
	char *line = NULL;
	size_t len = 0;
	int fd = -1, rc;

	if (!path || !action || (fields && !json_is_object(fields)))
		return CG_EINVAL;
	rc = build_line(action, fields, &line, &len);
	if (rc)
		goto out;
	fd = cg_file_open_append(path, 0600);
	if (fd < 0) {
		rc = fd;
		goto out;
	}
	/* One write per record: with O_APPEND the kernel places it atomically at the end. */
	if ((rc = cg_file_append(fd, line, len)) != 0)
		goto out;
	rc = cg_fs_fsync(fd);
out:
	cg_file_close(fd);
	cg_free(line);
	return rc;
}
