/* test_agentconf.c - the agent's pure parsers: the configuration file (defaults, every key,
 * schedules, file:line diagnostics for bad lines) and /proc/net/{tcp,udp}{,6}. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "canhgac/agent.h"
#include "canhgac/agentconf.h"
#include "canhgac/error.h"

static int parse(const char *text, struct cg_agentconf *c, struct cg_diags *d)
{
	cg_agentconf_defaults(c);
	return cg_agentconf_parse(text, strlen(text), "agent.conf", c, d);
}

static void full_file(void **state)
{
	struct cg_agentconf c;
	struct cg_diags d = CG_DIAGS_INIT;
	const char *text = "# canhgac agent\r\n"
	                   "server = https://cg.so-gd.vn:8443\r\n"
	                   "\n"
	                   "  data_dir=/var/lib/canhgac  \n"
	                   "heartbeat_s = 120\n"
	                   "scan_schedule = weekly sun 03:30\n"
	                   "scan_paths = /home , /srv/www,/var/www\n"
	                   "full_scan_paths = /, /data\n"
	                   "memory_cap_mb = 64\n"
	                   "spool_max_mb = 32\n"
	                   "cpu_nice = 19";
	(void)state;
	assert_int_equal(parse(text, &c, &d), 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(c.server, "https://cg.so-gd.vn:8443");
	assert_string_equal(c.data_dir, "/var/lib/canhgac");
	assert_int_equal(c.heartbeat_s, 120);
	assert_int_equal(c.scan.kind, CG_SCHED_WEEKLY);
	assert_int_equal(c.scan.wday, 0);
	assert_int_equal(c.scan.hour, 3);
	assert_int_equal(c.scan.minute, 30);
	assert_int_equal(c.n_scan_paths, 3);
	assert_string_equal(c.scan_paths[0], "/home");
	assert_string_equal(c.scan_paths[1], "/srv/www");
	assert_string_equal(c.scan_paths[2], "/var/www");
	assert_int_equal(c.n_full_scan_paths, 2);
	assert_string_equal(c.full_scan_paths[1], "/data");
	assert_int_equal(c.memory_cap_mb, 64);
	assert_int_equal(c.spool_max_mb, 32);
	assert_int_equal(c.cpu_nice, 19);
}

static void defaults(void **state)
{
	struct cg_agentconf c;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_int_equal(parse("", &c, &d), 0);
	assert_int_equal(c.heartbeat_s, 60);
	assert_int_equal(c.spool_max_mb, 256);
	assert_int_equal(c.cpu_nice, 10);
	assert_int_equal(c.scan.kind, CG_SCHED_OFF);
	assert_string_equal(c.server, "");
}

static void schedules(void **state)
{
	struct cg_agent_sched s;
	(void)state;
	assert_int_equal(cg_agent_sched_parse("daily 02:00", &s), 0);
	assert_int_equal(s.kind, CG_SCHED_DAILY);
	assert_int_equal(s.hour, 2);
	assert_int_equal(cg_agent_sched_parse("off", &s), 0);
	assert_int_equal(s.kind, CG_SCHED_OFF);
	assert_int_equal(cg_agent_sched_parse("weekly fri 23:59", &s), 0);
	assert_int_equal(s.wday, 5);
	assert_int_equal(cg_agent_sched_parse("daily 24:00", &s), CG_EPARSE);
	assert_int_equal(cg_agent_sched_parse("daily 2:00", &s), CG_EPARSE);
	assert_int_equal(cg_agent_sched_parse("weekly xyz 02:00", &s), CG_EPARSE);
	assert_int_equal(cg_agent_sched_parse("hourly", &s), CG_EPARSE);
}

static void errors(void **state)
{
	struct cg_agentconf c;
	struct cg_diags d = CG_DIAGS_INIT;
	const char *text = "server = http://plain.example\n"
	                   "heartbeat_s = 5\n"
	                   "colour = blue\n"
	                   "cpu_nice = 3\n"
	                   "cpu_nice = 4\n"
	                   "just words\n"
	                   "scan_paths = relative/path\n"
	                   "spool_max_mb = 99999999999999999999\n"
	                   "memory_cap_mb = 8\n";
	(void)state;
	cg_lang_set(CG_LANG_EN);
	assert_int_equal(parse(text, &c, &d), CG_EPARSE);
	assert_int_equal(d.n, 8);
	assert_int_equal(d.v[0].line, 1);
	assert_non_null(strstr(d.v[0].msg_en, "server"));
	assert_non_null(strstr(d.v[0].msg_vi, "https://"));
	assert_int_equal(d.v[1].line, 2);
	assert_non_null(strstr(d.v[2].msg_en, "unknown key 'colour'"));
	assert_int_equal(d.v[3].line, 5);
	assert_non_null(strstr(d.v[3].msg_en, "twice"));
	assert_int_equal(d.v[4].line, 6);
	assert_int_equal(d.v[5].line, 7);
	assert_int_equal(d.v[6].line, 8);
	assert_int_equal(d.v[7].line, 9);
	assert_int_equal(c.cpu_nice, 3); /* the valid line was kept */
	assert_string_equal(d.v[0].source, "agent.conf");
	cg_diags_clear(&d);
	assert_int_equal(parse("cpu_nice = 1\0x\n", &c, &d), 0);
	assert_int_equal(cg_agentconf_parse("a\0b", 3, "x", &c, &d), CG_EPARSE);
	cg_diags_clear(&d);
}

static void procnet(void **state)
{
	const char *tcp =
	    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n"
	    "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0"
	    "        0 1595 1 000000005fe8e588 100 0 0 10 0\n"
	    "   1: 0100007F:0277 0200007F:C350 01 00000000:00000000 00:00000000 00000000  1000"
	    "        0 4242 1\n"
	    "   2: 0100007F:0277 0200007F:C351 06 00000000:00000000 00:00000000 00000000  1000"
	    "        0 0 1\n"
	    "   3: garbage\n";
	const char *tcp6 =
	    "  sl  local_address                         remote_address                        st\n"
	    "   0: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A "
	    "00000000:00000000 00:00000000 00000000   33        0 777 1\n";
	const char *udp = "  sl  local_address rem_address   st\n"
	                  "  9: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 "
	                  "00000000 0 0 55 2 0\n";
	struct cg_netconns c = {0};
	size_t bad = 0;
	json_t *e;
	(void)state;
	assert_int_equal(cg_procnet_parse(tcp, strlen(tcp), "tcp", &c, &bad), 0);
	assert_int_equal(cg_procnet_parse(tcp6, strlen(tcp6), "tcp6", &c, &bad), 0);
	assert_int_equal(cg_procnet_parse(udp, strlen(udp), "udp", &c, &bad), 0);
	assert_int_equal(bad, 1);
	assert_int_equal(c.n_listening, 3);
	assert_string_equal(c.listening[0].local, "0.0.0.0");
	assert_int_equal(c.listening[0].lport, 22);
	assert_int_equal(c.listening[0].inode, 1595);
	assert_string_equal(c.listening[1].local, "::1");
	assert_int_equal(c.listening[1].lport, 80);
	assert_string_equal(c.listening[2].proto, "udp");
	assert_int_equal(c.listening[2].lport, 68);
	assert_int_equal(c.n_established, 1);
	assert_string_equal(c.established[0].local, "127.0.0.1");
	assert_string_equal(c.established[0].remote, "127.0.0.2");
	assert_int_equal(c.established[0].rport, 50000);
	assert_int_equal(c.established[0].uid, 1000);
	e = cg_netconns_event(&c, 1795599672345);
	assert_non_null(e);
	assert_string_equal(json_string_value(json_object_get(e, "kind")), "net.connections");
	assert_int_equal(json_array_size(json_object_get(e, "listening")), 3);
	json_decref(e);
	assert_int_equal(cg_procnet_parse(tcp, 3, "sctp", &c, NULL), CG_EINVAL);
	cg_netconns_clear(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(full_file), cmocka_unit_test(defaults), cmocka_unit_test(schedules),
	    cmocka_unit_test(errors),    cmocka_unit_test(procnet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
