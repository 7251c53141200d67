/* test_fim.c - file integrity: the comparison engine (fim.h), the shipped web-shell markers and
 * their parser and matcher (webshell.h), script extensions (double ones too) and web roots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/fileio.h"
#include "canhgac/fim.h"
#include "canhgac/webshell.h"

/* ---- web-shell markers ---- */

static struct cg_webshell *shipped;

static int load_shipped(void **state)
{
	const char *src = getenv("CANHGAC_SRCDIR");
	char p[4096];
	struct cg_diags d = CG_DIAGS_INIT;
	FILE *fp;
	char *buf;
	long n;
	int rc;

	(void)state;
	snprintf(p, sizeof(p), "%s/data/webshell-markers.txt", src ? src : ".");
	fp = fopen(p, "rb");
	if (!fp)
		return -1;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n);
	if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n)
		return -1;
	fclose(fp);
	rc = cg_webshell_parse(buf, (size_t)n, "webshell-markers.txt", &shipped, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s:%lu: %s\n", d.v[i].source, d.v[i].line, d.v[i].msg_en);
	free(buf);
	cg_diags_clear(&d);
	return rc == 0 && d.n == 0 ? 0 : -1;
}

static int free_shipped(void **state)
{
	(void)state;
	cg_webshell_free(shipped);
	return 0;
}

struct hits {
	const struct cg_webshell *ws;
	char ids[1024];
};

static int collect(void *arg, size_t i)
{
	struct hits *h = arg;
	size_t n = strlen(h->ids);
	snprintf(h->ids + n, sizeof(h->ids) - n, "%s%s", n ? "," : "",
	         cg_webshell_get(h->ws, i)->id);
	return 0;
}

static const char *match(const struct cg_webshell *ws, const char *text, struct hits *h)
{
	memset(h, 0, sizeof(*h));
	h->ws = ws;
	assert_int_equal(cg_webshell_match(ws, text, strlen(text), collect, h), 0);
	return h->ids;
}

static int has_id(const char *ids, const char *id)
{
	size_t n = strlen(id);
	for (const char *p = ids; (p = strstr(p, id)) != NULL; p += n)
		if ((p == ids || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* One real-looking sample per family of web shell the brief names, and the marker it must
 * raise. */
static const struct {
	const char *id, *text;
} samples[] = {
    {"php.eval_base64", "<?php @eval(base64_decode('ZWNobyAxOw==')); ?>"},
    {"php.eval_base64", "<?php eval ( base64_decode ( $x ) );"},
    {"php.eval_gzinflate", "<?php eval(gzinflate(base64_decode('80jNyclXCM8vykkBAA==')));"},
    {"php.gzinflate_base64", "$a = gzinflate(base64_decode($payload));"},
    {"php.eval_rot13", "<?php eval(str_rot13('rpub 1;'));"},
    {"php.eval_request", "<?php @eval($_POST['cmd']);?>"},
    {"php.eval_request", "<?php eval($_REQUEST [\"z0\"]);"},
    {"php.exec_request", "<?php system($_GET['c']); ?>"},
    {"php.exec_request", "<?php echo shell_exec($_REQUEST['x']);"},
    {"php.exec_request", "<?php passthru($_POST[\"cmd\"]);"},
    {"php.system_get", "<?php system($_GET['cmd']);"},
    {"php.assert_post", "<?php assert($_POST['x']);"},
    {"php.variable_function_request", "<?php $_REQUEST['a']($_REQUEST['b']);"},
    {"php.variable_function_request2", "<?php @$_GET['f']($_GET['arg']);"},
    {"php.preg_replace_e", "<?php preg_replace('/.*/e', $_POST['code'], '');"},
    {"php.preg_replace_e", "preg_replace(\"/x/ie\", \"\\\\1\", $s);"},
    {"php.create_function", "$f = create_function('', $_POST['c']); $f();"},
    {"php.shell_exec_var", "$o = shell_exec($cmd);"},
    {"php.passthru", "passthru($c);"},
    {"php.filesman", "$default_action = 'FilesMan';"},
    {"php.auth_pass_md5",
     "<?php $auth_pass = \"63a9f0ea7bb98050796b649e85481845\"; $color = '#df5';"},
    {"php.wso", "define('wso_version', '2.5');"},
    {"php.b374k", "<title>b374k shell 3.2</title>"},
    {"php.c99", "<?php $c99sh_sourcesurl = 'http://x';"},
    {"php.r57", "<b>r57shell</b> 1.40"},
    {"php.indoxploit", "<title>IndoXploit Shell</title>"},
    {"php.hex_eval", "$f = \"\\x65\\x76\\x61\\x6c\";"},
    {"php.backtick_request", "<?php echo `$_GET[c]`;"},
    {"asp.eval_request", "<%eval request(\"chopper\")%>"},
    {"asp.eval_request", "<% execute request.item(\"x\") %>"},
    {"aspx.eval_request",
     "<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"z\"],\"unsafe\");%>"},
    {"aspx.cmd_process",
     "ProcessStartInfo psi = new ProcessStartInfo(); psi.FileName = \"cmd.exe\"; "
     "Process.Start(psi);"},
    {"jsp.runtime_exec",
     "<% Process p = Runtime.getRuntime().exec(request.getParameter(\"cmd\")); %>"},
    {"jsp.runtime_exec_any", "Runtime.getRuntime().exec(cmd);"},
    {"jsp.classloader_define",
     "new U(this.getClass().getClassLoader()).g(new sun.misc.BASE64Decoder()"
     ".decodeBuffer(request.getReader().readLine())); Class c = defineClass(b, 0, b.length);"},
    {"php.godzilla", "<?php $pass='pass'; $payloadName='payload'; $key='3c6e0b8a9c15224a';"},
};

static void markers_find_known_shells(void **state)
{
	struct hits h;
	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const char *ids = match(shipped, samples[i].text, &h);
		if (!has_id(ids, samples[i].id))
			fail_msg("sample %zu (%s) gave [%s]", i, samples[i].id, ids);
	}
}

/* Ordinary site code raises nothing. */
static void markers_quiet_on_ordinary_code(void **state)
{
	static const char *const benign[] = {
	    "<?php\n$id = isset($_GET['id']) ? (int)$_GET['id'] : 0;\n"
	    "$stmt = $db->prepare('SELECT * FROM news WHERE id = ?');\n$stmt->execute([$id]);\n"
	    "echo htmlspecialchars($row['title']);\n$img = base64_encode($data);\n",
	    "<?php require_once __DIR__ . '/wp-load.php'; get_header(); the_content(); ?>",
	    "<html><body><h1>Trường THPT Nguyễn Du</h1><p>Thông báo tuyển sinh</p></body></html>",
	    "function evaluate(x) { return x * 2; } // JavaScript, not a shell",
	    "<%@ Page Language=\"C#\" %><% Response.Write(Request.QueryString[\"q\"]); %>",
	    "$json = json_decode(base64_decode($token), true);",
	};
	struct hits h;
	(void)state;
	for (size_t i = 0; i < sizeof(benign) / sizeof(benign[0]); i++) {
		const char *ids = match(shipped, benign[i], &h);
		if (ids[0])
			fail_msg("benign %zu raised [%s]", i, ids);
	}
}

static struct cg_webshell *parse_ok(const char *text)
{
	struct cg_webshell *ws = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	assert_int_equal(cg_webshell_parse(text, strlen(text), "t", &ws, &d), 0);
	assert_int_equal(d.n, 0);
	return ws;
}

static void parse_error(const char *text, unsigned long line, const char *needle)
{
	struct cg_webshell *ws = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	int rc = cg_webshell_parse(text, strlen(text), "t", &ws, &d);
	assert_true(rc < 0);
	assert_null(ws);
	assert_true(d.n >= 1);
	assert_int_equal(d.v[0].line, line);
	if (!strstr(d.v[0].msg_en, needle))
		fail_msg("'%s' lacks '%s'", d.v[0].msg_en, needle);
	cg_diags_clear(&d);
}

#define OKB "vi = x\nen = y\n"
#define OKB_TAIL "[a.three]\nliteral = zz\n" OKB
static void parser_reports_bad_files(void **state)
{
	(void)state;
	parse_error("[a]\nregex = x\n" OKB, 1, "no 'literal'");
	parse_error("[a]\nliteral = abc\n", 1, "'vi' or 'en'");
	parse_error("# c\n[a]\nliteral = abc\nregex = (unclosed\n" OKB, 2, "bad regex");
	parse_error("[a]\nliteral = abc\n" OKB "[a]\nliteral = abd\n" OKB, 5, "duplicate marker");
	parse_error("[a b]\nliteral = abc\n" OKB, 1, "bad marker id");
	parse_error("[a]\nliteral = abc\ncolour = red\n" OKB, 3, "unknown key");
	parse_error("[a]\nliteral = abc\nliteral = abd\n" OKB, 3, "duplicate key");
	parse_error("[a]\nseverity = dire\nliteral = abc\n" OKB, 2, "bad severity");
	parse_error("literal = abc\n", 1, "expected '[id]'");
	parse_error("[a]\nliteral = x\n" OKB, 2, "too short");
	parse_error("[a]\nliteral = "
	            "0123456789012345678901234567890123456789012345678901234567890123456789\n" OKB,
	            2, "too long");
	parse_error("# nothing\n", 0, "no markers");
}

static void parser_reads_fields(void **state)
{
	struct cg_webshell *ws = parse_ok("\xef\xbb\xbf# bom, CRLF, spaces\r\n"
	                                  "  [x.one]  \r\n severity = medium\r\n"
	                                  "literal = FilesMan\r\n" OKB
	                                  "[x.two]\nliteral=abc\nregex=a(b)c\nvi=v\nen=e\n");
	const struct cg_wsmark *m;
	(void)state;
	assert_int_equal(cg_webshell_count(ws), 2);
	m = cg_webshell_get(ws, 0);
	assert_string_equal(m->id, "x.one");
	assert_int_equal(m->severity, CG_SEV_MEDIUM);
	assert_string_equal(m->literal, "FilesMan");
	assert_null(m->regex);
	assert_int_equal(m->line, 2);
	m = cg_webshell_get(ws, 1);
	assert_int_equal(m->severity, CG_SEV_HIGH);
	assert_string_equal(m->regex, "a(b)c");
	assert_int_equal(cg_webshell_find(ws, "x.two"), 1);
	assert_int_equal(cg_webshell_find(ws, "x.three"), -1);
	assert_null(cg_webshell_get(ws, 2));
	cg_webshell_free(ws);
}

/* The prefilter ignores ASCII case; the regex decides; each marker is reported once. */
static void matcher_prefilter_and_confirm(void **state)
{
	struct cg_webshell *ws = parse_ok("[lit]\nliteral = FilesMan\n" OKB
	                                  "[re]\nliteral = eval\nregex = eval\\(\\$_POST\n" OKB
	                                  "[tail]\nliteral = zz\n" OKB);
	struct hits h;
	(void)state;
	assert_string_equal(match(ws, "x filesman FILESMAN y", &h), "lit");
	assert_string_equal(match(ws, "eval($_GET)", &h), ""); /* literal, no confirmation */
	assert_string_equal(match(ws, "EVAL eval($_POST[1])", &h), "re");
	assert_string_equal(match(ws, "aaazz", &h), "tail"); /* at the very end */
	assert_string_equal(match(ws, "z", &h), "");
	assert_string_equal(match(ws, "", &h), "");
	cg_webshell_free(ws);
}

/* A pathological expression on hostile input ends at the limits, as no match, quickly. */
static void matcher_limits_stop_backtracking(void **state)
{
	struct cg_webshell *ws = parse_ok("[evil]\nliteral = aaa\nregex = ^(a+)+$\n" OKB);
	char *buf = malloc(200001);
	struct hits h;
	clock_t t0 = clock();
	(void)state;
	memset(buf, 'a', 200000);
	buf[199999] = 'b';
	buf[200000] = '\0';
	assert_string_equal(match(ws, buf, &h), "");
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
	free(buf);
	cg_webshell_free(ws);
}

/* Every allocation of the parser fails in turn: CG_ENOMEM each time, nothing leaks (ASan). */
static void parser_survives_allocation_failures(void **state)
{
	const char *text = "[a.one]\nliteral = FilesMan\n" OKB "[a.two]\nseverity = low\n"
	                   "literal = eval\nregex = eval\\(\nvi = v\nen = e\n" OKB_TAIL;
	struct cg_webshell *ws = NULL;
	int rc = CG_ENOMEM;
	long n;
	(void)state;
	for (n = 0; n < 1000 && rc == CG_ENOMEM; n++) {
		cg_alloc_fail_after(n);
		rc = cg_webshell_parse(text, strlen(text), "t", &ws, NULL);
		cg_alloc_fail_after(-1);
		if (rc == CG_ENOMEM)
			assert_null(ws);
	}
	assert_int_equal(rc, 0);
	assert_true(n > 5);
	assert_int_equal(cg_webshell_count(ws), 3);
	cg_webshell_free(ws);
}

/* A marker at the head of a buffer of CG_MAX_WS_SCAN bytes is found. */
static void matcher_big_buffer(void **state)
{
	size_t n = 8u << 20;
	char *buf = malloc(n + 1);
	const char *head = "<?php @eval($_POST[\"a\"]); ?>\n";
	struct hits h;
	(void)state;
	memset(buf, 'x', n);
	buf[n] = '\0';
	memcpy(buf, head, strlen(head));
	match(shipped, buf, &h);
	if (!has_id(h.ids, "php.eval_request"))
		fail_msg("got [%s]", h.ids);
	free(buf);
}

static void script_extensions(void **state)
{
	(void)state;
#define EXT(p) cg_webshell_script_ext(p, strlen(p))
	assert_int_equal(EXT("/var/www/html/index.php"), CG_WS_SCRIPT);
	assert_int_equal(EXT("/var/www/x/SHELL.PHP"), CG_WS_SCRIPT);
	assert_int_equal(EXT("up/a.php5"), CG_WS_SCRIPT);
	assert_int_equal(EXT("a.phtml"), CG_WS_SCRIPT);
	assert_int_equal(EXT("a.phar"), CG_WS_SCRIPT);
	assert_int_equal(EXT("a.jspx"), CG_WS_SCRIPT);
	assert_int_equal(EXT("C:\\inetpub\\wwwroot\\cmd.aspx"), CG_WS_SCRIPT);
	assert_int_equal(EXT("a.ashx"), CG_WS_SCRIPT);
	assert_int_equal(EXT("a.asmx"), CG_WS_SCRIPT);
	assert_int_equal(EXT("a.cer"), CG_WS_SCRIPT);
	assert_int_equal(EXT("a.shtml"), CG_WS_SCRIPT);
	assert_int_equal(EXT("a.asp"), CG_WS_SCRIPT);
	assert_int_equal(EXT("/up/avatar.php.jpg"), CG_WS_DOUBLE_EXT);
	assert_int_equal(EXT("/up/x.PhP.PNG"), CG_WS_DOUBLE_EXT);
	assert_int_equal(EXT("/up/x.jsp.txt.gif"), CG_WS_DOUBLE_EXT);
	assert_int_equal(EXT("/up/x.jpg.php"), CG_WS_SCRIPT);
	assert_int_equal(EXT("/up/photo.jpg"), 0);
	assert_int_equal(EXT("/up/a.tar.gz"), 0);
	assert_int_equal(EXT("/up/jquery.min.js"), 0);
	assert_int_equal(EXT("/var/www/.htaccess"), 0);
	assert_int_equal(EXT("/var/www/.php"), 0);            /* a hidden file named "php" */
	assert_int_equal(EXT("/var/www/site.php/readme"), 0); /* a folder's name */
	assert_int_equal(EXT("/var/www/a.php7x"), 0);
	assert_int_equal(EXT("php"), 0);
	assert_int_equal(EXT(""), 0);
#undef EXT
}

static void default_web_roots(void **state)
{
	(void)state;
#define WR(p) cg_webshell_default_webroot(p, strlen(p))
	assert_true(WR("/var/www"));
	assert_true(WR("/var/www/html/index.php"));
	assert_false(WR("/var/wwwdata/x"));
	assert_true(WR("/home/gv/public_html/a.php"));
	assert_true(WR("/opt/lampp/htdocs/x"));
	assert_true(WR("C:\\inetpub\\wwwroot\\default.aspx"));
	assert_true(WR("D:\\xampp\\HTDOCS\\up\\a.php"));
	assert_false(WR("/etc/passwd"));
	assert_false(WR("/srv/my_htdocs_old/a"));
#undef WR
}

/* ---- the comparison engine ---- */

static struct cg_fim_entry ent(const char *path, uint32_t mode, const char *sha_seed)
{
	struct cg_fim_entry e;
	memset(&e, 0, sizeof(e));
	e.path = (char *)path;
	e.path_len = strlen(path);
	e.dev = 1;
	e.ino = (uint64_t)strlen(path) * 7;
	e.size = 10;
	e.mtime_ns = e.ctime_ns = 1000;
	e.mode = mode;
	e.uid = e.gid = 33;
	if (sha_seed) {
		memset(e.sha256, sha_seed[0], 32);
		e.flags |= CG_FIM_HAVE_SHA;
	}
	return e;
}

struct got {
	size_t n;
	struct {
		char path[64];
		unsigned what;
		enum cg_severity sev;
		const char *kind;
	} v[16];
};

static int record(void *arg, const struct cg_fim_diff *d)
{
	struct got *g = arg;
	const struct cg_fim_entry *e = d->cur ? d->cur : d->old;
	assert_true(g->n < 16);
	snprintf(g->v[g->n].path, 64, "%s", e->path);
	g->v[g->n].what = d->what;
	g->v[g->n].sev = d->severity;
	g->v[g->n].kind = cg_fim_kind(d);
	g->n++;
	return 0;
}

#define REG (CG_S_IFREG | 0644u)
#define LNK (CG_S_IFLNK | 0777u)

static void compare_finds_every_change(void **state)
{
	struct cg_fim_entry old[9], cur[9];
	struct got g;
	(void)state;
	memset(&g, 0, sizeof(g));
	old[0] = ent("/w/deleted.txt", REG, "a");
	old[1] = ent("/w/content.txt", REG, "a");
	old[2] = ent("/w/mode.sh", REG, "a");
	old[3] = ent("/w/owner.txt", REG, "a");
	old[4] = ent("/w/same.txt", REG, "a");
	old[5] = ent("/w/swap", REG, "a");
	old[6] = ent("/w/link", LNK, NULL);
	old[6].link = "/etc/hosts";
	old[7] = ent("/w/group.txt", REG, "a");
	old[8] = ent("/w/unread.txt", REG, "a");
	cur[0] = ent("/w/content.txt", REG, "b");
	cur[1] = ent("/w/mode.sh", CG_S_IFREG | 04755u, "a");
	cur[2] = ent("/w/owner.txt", REG, "a");
	cur[2].uid = 0;
	cur[3] = ent("/w/same.txt", REG, "a");
	cur[4] = ent("/w/swap", LNK, NULL);
	cur[4].link = "/etc/shadow";
	cur[5] = ent("/w/link", LNK, NULL);
	cur[5].link = "/etc/passwd";
	cur[6] = ent("/w/added.txt", REG, "c");
	cur[7] = ent("/w/group.txt", REG, "a");
	cur[7].gid = 0;
	cur[8] = ent("/w/unread.txt", REG, NULL); /* unknown content: only metadata counts */
	cg_fim_sort(old, 9);
	cg_fim_sort(cur, 9);
	assert_int_equal(cg_fim_compare(old, 9, cur, 9, record, &g), 0);
	assert_int_equal(g.n, 8);
	/* in path order */
	assert_string_equal(g.v[0].path, "/w/added.txt");
	assert_int_equal(g.v[0].what, CG_FIM_ADDED);
	assert_int_equal(g.v[0].sev, CG_SEV_LOW);
	assert_string_equal(g.v[0].kind, "fim.added");
	assert_string_equal(g.v[1].path, "/w/content.txt");
	assert_int_equal(g.v[1].what, CG_FIM_CONTENT);
	assert_string_equal(g.v[1].kind, "fim.changed");
	assert_int_equal(g.v[1].sev, CG_SEV_MEDIUM);
	assert_string_equal(g.v[2].path, "/w/deleted.txt");
	assert_int_equal(g.v[2].what, CG_FIM_DELETED);
	assert_string_equal(g.v[2].kind, "fim.deleted");
	assert_string_equal(g.v[3].path, "/w/group.txt");
	assert_int_equal(g.v[3].what, CG_FIM_GROUP);
	assert_string_equal(g.v[3].kind, "fim.meta");
	assert_string_equal(g.v[4].path, "/w/link");
	assert_int_equal(g.v[4].what, CG_FIM_LINK);
	assert_string_equal(g.v[5].path, "/w/mode.sh");
	assert_int_equal(g.v[5].what, CG_FIM_PERM);
	assert_int_equal(g.v[5].sev, CG_SEV_HIGH); /* setuid gained */
	assert_string_equal(g.v[6].path, "/w/owner.txt");
	assert_int_equal(g.v[6].what, CG_FIM_OWNER);
	assert_int_equal(g.v[6].sev, CG_SEV_HIGH); /* now root's */
	assert_string_equal(g.v[7].path, "/w/swap");
	assert_int_equal(g.v[7].what, CG_FIM_TYPE);
	assert_int_equal(g.v[7].sev, CG_SEV_HIGH);
	assert_string_equal(g.v[7].kind, "fim.changed");
}

static void compare_web_roots_and_shells(void **state)
{
	struct cg_fim_entry old[2], cur[5];
	struct got g;
	(void)state;
	memset(&g, 0, sizeof(g));
	old[0] = ent("/var/www/index.php", REG, "a");
	old[1] = ent("/var/www/up/a.txt", REG, "a");
	cur[0] = ent("/var/www/index.php", REG, "b");
	cur[0].marks = "php.eval_request";
	cur[0].flags |= CG_FIM_WEBROOT;
	cur[1] = ent("/var/www/up/a.txt", REG, "a");
	cur[1].marks = "php.filesman"; /* unchanged content: was reported when recorded */
	cur[2] = ent("/var/www/up/new.php", REG, "c");
	cur[2].flags |= CG_FIM_WEBROOT;
	cur[3] = ent("/var/www/up/x.php.jpg", REG, "d");
	cur[3].flags |= CG_FIM_WEBROOT;
	cur[4] = ent("/opt/tool/new.php", REG, "e"); /* not in a web root */
	cg_fim_sort(cur, 5);
	assert_int_equal(cg_fim_compare(old, 2, cur, 5, record, &g), 0);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.v[0].path, "/opt/tool/new.php");
	assert_int_equal(g.v[0].what, CG_FIM_ADDED);
	assert_int_equal(g.v[0].sev, CG_SEV_LOW);
	assert_string_equal(g.v[1].path, "/var/www/index.php");
	assert_int_equal(g.v[1].what, CG_FIM_CONTENT | CG_FIM_WEBSHELL);
	assert_string_equal(g.v[1].kind, "fim.webshell");
	assert_int_equal(g.v[1].sev, CG_SEV_HIGH);
	assert_string_equal(g.v[2].path, "/var/www/up/new.php");
	assert_int_equal(g.v[2].what, CG_FIM_ADDED | CG_FIM_NEW_SCRIPT);
	assert_int_equal(g.v[2].sev, CG_SEV_HIGH);
	assert_string_equal(g.v[3].path, "/var/www/up/x.php.jpg");
	assert_int_equal(g.v[3].what, CG_FIM_ADDED | CG_FIM_NEW_SCRIPT | CG_FIM_DOUBLE_EXT);
}

static int stop_at_first(void *arg, const struct cg_fim_diff *d)
{
	(void)d;
	++*(int *)arg;
	return 7;
}

/* Folders: only their type, permissions, owner and group count. */
static void compare_folders(void **state)
{
	struct cg_fim_entry old[2], cur[3];
	struct got g;
	(void)state;
	memset(&g, 0, sizeof(g));
	old[0] = ent("/w/up", CG_S_IFDIR | 0755u, NULL);
	old[1] = ent("/w/same", CG_S_IFDIR | 0755u, NULL);
	cur[0] = ent("/w/up", CG_S_IFDIR | 0777u, NULL);
	cur[1] = ent("/w/same", CG_S_IFDIR | 0755u, NULL);
	cur[1].mtime_ns = cur[1].ctime_ns = 99999;            /* a file inside changed */
	cur[2] = ent("/w/new.php", CG_S_IFDIR | 0755u, NULL); /* a folder, not a script */
	cur[2].flags |= CG_FIM_WEBROOT;
	cg_fim_sort(old, 2);
	cg_fim_sort(cur, 3);
	assert_int_equal(cg_fim_compare(old, 2, cur, 3, record, &g), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.v[0].path, "/w/new.php");
	assert_int_equal(g.v[0].what, CG_FIM_ADDED);
	assert_int_equal(g.v[0].sev, CG_SEV_LOW);
	assert_string_equal(g.v[1].path, "/w/up");
	assert_int_equal(g.v[1].what, CG_FIM_PERM);
	assert_int_equal(g.v[1].sev, CG_SEV_HIGH);
}

static void compare_edges(void **state)
{
	struct cg_fim_entry a[2], b[1];
	int calls = 0;
	(void)state;
	a[0] = ent("/x/1", REG, "a");
	a[1] = ent("/x/2", REG, "a");
	b[0] = ent("/x/1", REG, "a");
	/* nothing at all, and nothing changed: no call */
	assert_int_equal(cg_fim_compare(NULL, 0, NULL, 0, stop_at_first, &calls), 0);
	assert_int_equal(cg_fim_compare(a, 1, b, 1, stop_at_first, &calls), 0);
	assert_int_equal(calls, 0);
	/* the callback's value stops the merge */
	assert_int_equal(cg_fim_compare(a, 2, NULL, 0, stop_at_first, &calls), 7);
	assert_int_equal(calls, 1);
	/* byte order, a prefix first */
	{
		struct cg_fim_entry v[3];
		v[0] = ent("/a/b0", REG, "a");
		v[1] = ent("/a/b", REG, "a");
		v[2] = ent("/a/\xc3\xa9", REG, "a");
		cg_fim_sort(v, 3);
		assert_string_equal(v[0].path, "/a/b");
		assert_string_equal(v[1].path, "/a/b0");
		assert_string_equal(v[2].path, "/a/\xc3\xa9");
		assert_ptr_equal(cg_fim_find(v, 3, "/a/b0", 5), &v[1]);
		assert_null(cg_fim_find(v, 3, "/a/c", 4));
		assert_null(cg_fim_find(v, 0, "/a/b", 4));
	}
}

/* The cache rule: device, inode, size, mtime and ctime; nothing else. */
static void same_stat_rule(void **state)
{
	struct cg_fim_entry a = ent("/x", REG, "a"), b = a;
	(void)state;
	assert_true(cg_fim_same_stat(&a, &b));
	b.uid = 5;
	b.mode = CG_S_IFREG | 0600u;
	assert_true(cg_fim_same_stat(&a, &b));
	b = a, b.ctime_ns++;
	assert_false(cg_fim_same_stat(&a, &b));
	b = a, b.mtime_ns--;
	assert_false(cg_fim_same_stat(&a, &b));
	b = a, b.size++;
	assert_false(cg_fim_same_stat(&a, &b));
	b = a, b.ino++;
	assert_false(cg_fim_same_stat(&a, &b));
	b = a, b.dev++;
	assert_false(cg_fim_same_stat(&a, &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(markers_find_known_shells),
	    cmocka_unit_test(markers_quiet_on_ordinary_code),
	    cmocka_unit_test(parser_reports_bad_files),
	    cmocka_unit_test(parser_reads_fields),
	    cmocka_unit_test(matcher_prefilter_and_confirm),
	    cmocka_unit_test(matcher_limits_stop_backtracking),
	    cmocka_unit_test(matcher_big_buffer),
	    cmocka_unit_test(parser_survives_allocation_failures),
	    cmocka_unit_test(script_extensions),
	    cmocka_unit_test(default_web_roots),
	    cmocka_unit_test(compare_finds_every_change),
	    cmocka_unit_test(compare_web_roots_and_shells),
	    cmocka_unit_test(compare_folders),
	    cmocka_unit_test(compare_edges),
	    cmocka_unit_test(same_stat_rule),
	};
	return cmocka_run_group_tests(tests, load_shipped, free_shipped);
}
