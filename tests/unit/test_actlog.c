/* test_actlog.c - the action log (JSON Lines) and ISO 8601 time formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "canhgac/actlog.h"
#include "canhgac/error.h"
#include "canhgac/sys.h"
#include "canhgac/timeutil.h"

static void iso8601_known_values(void **state)
{
	char b[32];
	(void)state;
	assert_int_equal(cg_time_iso8601_ms(b, 0), 0);
	assert_string_equal(b, "1970-01-01T00:00:00.000Z");
	assert_int_equal(cg_time_iso8601_ms(b, 1795597200123LL), 0);
	assert_string_equal(b, "2026-11-25T09:00:00.123Z");
	assert_int_equal(cg_time_iso8601_ms(b, 951868799999LL), 0);
	assert_string_equal(b, "2000-02-29T23:59:59.999Z");
	assert_int_equal(cg_time_iso8601_ms(b, -1), 0);
	assert_string_equal(b, "1969-12-31T23:59:59.999Z");
	assert_int_equal(cg_time_iso8601_ms(b, INT64_MAX), CG_EINVAL);
	assert_string_equal(b, "");
	assert_int_equal(cg_time_iso8601_ms(b, INT64_MIN), CG_EINVAL);
	/* the clock is after 2020 and before 2100 */
	assert_true(cg_now_ms() > 1577836800000LL);
	assert_true(cg_now_ms() < 4102444800000LL);
}

/* Checks "YYYY-MM-DDTHH:MM:SS.mmmZ". */
static int is_iso_ms(const char *s)
{
	const char *pat = "dddd-dd-ddTdd:dd:dd.dddZ";
	if (strlen(s) != strlen(pat))
		return 0;
	for (size_t i = 0; pat[i]; i++)
		if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
			return 0;
	return 1;
}

static void appends_json_lines(void **state)
{
	char dir[] = "/tmp/cgactlog.XXXXXX", path[64], line[4096];
	struct stat st;
	FILE *f;
	int n = 0;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/actions.log", dir);
	for (int i = 0; i < 3; i++) {
		json_t *fields = json_pack("{s:i, s:s, s:s}", "n", i, "path", "/tmp/x y\n\"z\"",
		                           "time", "forged");
		assert_int_equal(cg_actlog_append(path, "test_action", fields), 0);
		json_decref(fields);
	}
	assert_int_equal(cg_actlog_append(path, "no_fields", NULL), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		json_error_t err;
		json_t *o = json_loads(line, 0, &err);
		assert_non_null(o);
		assert_true(json_is_object(o));
		assert_true(line[strlen(line) - 1] == '\n');
		assert_true(is_iso_ms(json_string_value(json_object_get(o, "time"))));
		assert_int_equal(json_integer_value(json_object_get(o, "uid")), getuid());
		assert_int_equal(json_integer_value(json_object_get(o, "pid")), getpid());
		if (n < 3) {
			assert_string_equal(json_string_value(json_object_get(o, "action")),
			                    "test_action");
			assert_int_equal(json_integer_value(json_object_get(o, "n")), n);
			assert_string_equal(json_string_value(json_object_get(o, "path")),
			                    "/tmp/x y\n\"z\"");
		} else {
			assert_string_equal(json_string_value(json_object_get(o, "action")),
			                    "no_fields");
		}
		json_decref(o);
		n++;
	}
	fclose(f);
	assert_int_equal(n, 4);
	unlink(path);
	rmdir(dir);
}

static void refuses_symlink_and_bad_args(void **state)
{
	char dir[] = "/tmp/cgactlog.XXXXXX", link[64], target[64];
	struct stat st;
	json_t *arr = json_array();
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/log", dir);
	snprintf(target, sizeof(target), "%s/target", dir);
	FILE *f = fopen(target, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(cg_actlog_append(link, "x", NULL), CG_ESYMLINK);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(cg_actlog_append(target, "x", arr), CG_EINVAL);
	assert_int_equal(cg_actlog_append(NULL, "x", NULL), CG_EINVAL);
	/* a directory in the log's place is an error, not a crash */
	assert_true(cg_actlog_append(dir, "x", NULL) < 0);
	/* an oversized record is refused whole, nothing written */
	{
		char *big = calloc(70000, 1);
		assert_non_null(big);
		memset(big, 'a', 69999);
		json_t *fields = json_pack("{s:s}", "big", big);
		assert_int_equal(cg_actlog_append(target, "x", fields), CG_ELIMIT);
		assert_int_equal(stat(target, &st), 0);
		assert_int_equal(st.st_size, 0);
		json_decref(fields);
		free(big);
	}
	json_decref(arr);
	unlink(link);
	unlink(target);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(iso8601_known_values),
	    cmocka_unit_test(appends_json_lines),
	    cmocka_unit_test(refuses_symlink_and_bad_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
