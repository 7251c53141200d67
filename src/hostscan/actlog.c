/* actlog.c - append-only JSON Lines log of actions taken on files (quarantine, restore...). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canhgac/actlog.h"
#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/fsafe.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "canhgac/timeutil.h"
#include "banned.h"

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
	    json_object_set_new(o, "action", json_string(action)) ||
	    json_object_set_new(o, "uid", json_integer((json_int_t)getuid())) ||
	    json_object_set_new(o, "pid", json_integer((json_int_t)getpid())))
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
	struct stat st;
	char *line = NULL;
	size_t len = 0;
	ssize_t w;
	int fd = -1, rc;

	if (!path || !action || (fields && !json_is_object(fields)))
		return CG_EINVAL;
	rc = build_line(action, fields, &line, &len);
	if (rc)
		goto out;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
	if (fd < 0) {
		rc = errno == ELOOP ? CG_ESYMLINK : cg_from_errno(errno);
		goto out;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = CG_ENOTFILE;
		goto out;
	}
	/* One write per record: with O_APPEND the kernel places it atomically at the end. */
	w = write(fd, line, len);
	if (w < 0) {
		rc = cg_from_errno(errno);
		goto out;
	}
	if ((size_t)w != len) {
		rc = CG_EIO;
		goto out;
	}
	rc = cg_fs_fsync(fd);
out:
	if (fd >= 0)
		close(fd);
	cg_free(line);
	return rc;
}
