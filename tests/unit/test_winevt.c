/* test_winevt.c - Windows event XML (as EvtRender and libevtx write it) into JSON lines: the
 * events the log rules need, UserData, unnamed Data, times, hostile XML and the caps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/logrec.h"
#include "canhgac/winevt.h"

#define EV_OPEN "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
#define SEC_PROV                                                                                   \
	"<Provider Name='Microsoft-Windows-Security-Auditing' "                                    \
	"Guid='{54849625-5478-4994-A5BA-3E3B0328C30D}'/>"

/* A 4625 as EvtRender(EvtRenderEventXml) gives it on Windows 10. */
static const char ev4625[] =
    EV_OPEN SEC_PROV "<EventID>4625</EventID><Version>0</Version><Level>0</Level>"
                     "<Task>12544</Task><Opcode>0</Opcode><Keywords>0x8010000000000000</Keywords>"
                     "<TimeCreated SystemTime='2026-10-22T10:41:00.1234567Z'/>"
                     "<EventRecordID>81234</EventRecordID><Correlation/>"
                     "<Execution ProcessID='812' ThreadID='4420'/><Channel>Security</Channel>"
                     "<Computer>PC01</Computer><Security/></System><EventData>"
                     "<Data Name='SubjectUserSid'>S-1-0-0</Data>"
                     "<Data Name='TargetUserName'>administrator</Data>"
                     "<Data Name='Status'>0xc000006d</Data><Data Name='LogonType'>10</Data>"
                     "<Data Name='WorkstationName'>-</Data>"
                     "<Data Name='IpAddress'>203.0.113.7</Data><Data Name='IpPort'>51234</Data>"
                     "</EventData></Event>";

static json_t *convert(const char *xml, const struct cg_winevt_opts *o, int want_rc)
{
	struct cg_diags d = CG_DIAGS_INIT;
	char *out = (char *)1;
	size_t n = 99;
	json_error_t je;
	json_t *j = NULL;
	int rc = cg_winevt_to_json(xml, strlen(xml), o, &out, &n, &d);

	assert_int_equal(rc, want_rc);
	if (rc) {
		assert_null(out);
		assert_int_equal(d.n, 1);
		assert_int_equal(d.v[0].code, rc);
	} else {
		assert_non_null(out);
		assert_int_equal(strlen(out), n);
		assert_true(n < CG_MAX_LOGLINE - 1);
		assert_null(strchr(out, '\n'));
		j = json_loads(out, 0, &je);
		assert_non_null(j);
	}
	cg_free(out);
	cg_diags_clear(&d);
	return j;
}

static const char *str(json_t *j, const char *k)
{
	return json_string_value(json_object_get(j, k));
}

static void failed_logon_4625(void **state)
{
	(void)state;
	json_t *j = convert(ev4625, NULL, 0);
	const char *first;

	assert_int_equal(json_integer_value(json_object_get(j, "EventID")), 4625);
	assert_string_equal(str(j, "Channel"), "Security");
	assert_string_equal(str(j, "ProviderName"), "Microsoft-Windows-Security-Auditing");
	assert_string_equal(str(j, "Computer"), "PC01");
	assert_string_equal(str(j, "Hostname"), "PC01");
	assert_string_equal(str(j, "EventTime"), "2026-10-22T10:41:00.123Z");
	assert_int_equal(json_integer_value(json_object_get(j, "RecordNumber")), 81234);
	assert_string_equal(str(j, "TargetUserName"), "administrator");
	assert_string_equal(str(j, "IpAddress"), "203.0.113.7");
	assert_string_equal(str(j, "LogonType"), "10");
	assert_string_equal(str(j, "Status"), "0xc000006d");
	assert_null(json_object_get(j, "Truncated"));
	assert_null(json_object_get(j, "Recovered"));
	/* NXLog's order: EventID first */
	first = json_object_iter_key(json_object_iter(j));
	assert_string_equal(first, "EventID");
	json_decref(j);
}

static void account_events_4720_4732_4624(void **state)
{
	(void)state;
	const char *x4720 = EV_OPEN SEC_PROV
	    "<EventID>4720</EventID><TimeCreated SystemTime='2026-10-22T10:43:00Z'/>"
	    "<EventRecordID>3</EventRecordID><Channel>Security</Channel>"
	    "<Computer>pc02.truong.local</Computer></System><EventData>"
	    "<Data Name='TargetUserName'>backdoor</Data>"
	    "<Data Name='SubjectUserName'>giaovien</Data></EventData></Event>";
	const char *x4732 = EV_OPEN SEC_PROV
	    "<EventID>4732</EventID><Channel>Security</Channel><Computer>PC01</Computer>"
	    "</System><EventData><Data Name='MemberName'>-</Data>"
	    "<Data Name='MemberSid'>S-1-5-21-1-2-3-1005</Data>"
	    "<Data Name='TargetUserName'>Administrators</Data></EventData></Event>";
	const char *x4624 = EV_OPEN SEC_PROV
	    "<EventID>4624</EventID><Channel>Security</Channel><Computer>PC01</Computer>"
	    "</System><EventData><Data Name='TargetUserName'>giaovien</Data>"
	    "<Data Name='LogonType'>2</Data><Data Name='IpAddress'>::1</Data>"
	    "</EventData></Event>";
	json_t *j = convert(x4720, NULL, 0);
	assert_int_equal(json_integer_value(json_object_get(j, "EventID")), 4720);
	assert_string_equal(str(j, "TargetUserName"), "backdoor");
	assert_string_equal(str(j, "SubjectUserName"), "giaovien");
	assert_string_equal(str(j, "EventTime"), "2026-10-22T10:43:00.000Z");
	assert_string_equal(str(j, "Hostname"), "pc02.truong.local");
	json_decref(j);
	j = convert(x4732, NULL, 0);
	assert_string_equal(str(j, "MemberSid"), "S-1-5-21-1-2-3-1005");
	assert_string_equal(str(j, "TargetUserName"), "Administrators");
	assert_null(json_object_get(j, "EventTime"));
	assert_null(json_object_get(j, "RecordNumber"));
	json_decref(j);
	j = convert(x4624, NULL, 0);
	assert_string_equal(str(j, "IpAddress"), "::1");
	json_decref(j);
}

/* 1102 carries its values in UserData, by element name. */
static void log_cleared_1102_userdata(void **state)
{
	(void)state;
	const char *x = EV_OPEN
	    "<Provider Name='Microsoft-Windows-Eventlog' "
	    "Guid='{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}'/><EventID>1102</EventID>"
	    "<TimeCreated SystemTime='2026-10-22T10:44:00.000000000Z'/>"
	    "<EventRecordID>90</EventRecordID><Channel>Security</Channel>"
	    "<Computer>PC01</Computer></System><UserData>"
	    "<LogFileCleared xmlns='http://manifests.microsoft.com/win/2004/08/windows/eventlog'>"
	    "<SubjectUserSid>S-1-5-21-1-2-3-1001</SubjectUserSid>"
	    "<SubjectUserName>giaovien</SubjectUserName>"
	    "<SubjectDomainName>PC01</SubjectDomainName>"
	    "<SubjectLogonId>0x1d2e3</SubjectLogonId></LogFileCleared></UserData></Event>";
	json_t *j = convert(x, NULL, 0);
	assert_int_equal(json_integer_value(json_object_get(j, "EventID")), 1102);
	assert_string_equal(str(j, "ProviderName"), "Microsoft-Windows-Eventlog");
	assert_string_equal(str(j, "SubjectUserName"), "giaovien");
	assert_string_equal(str(j, "SubjectLogonId"), "0x1d2e3");
	assert_null(json_object_get(j, "LogFileCleared"));
	assert_string_equal(str(j, "EventTime"), "2026-10-22T10:44:00.000Z");
	json_decref(j);
}

static void defender_1116_and_entities(void **state)
{
	(void)state;
	const char *x = EV_OPEN
	    "<Provider Name='Microsoft-Windows-Windows Defender'/><EventID>1116</EventID>"
	    "<TimeCreated SystemTime='2026-10-22T17:45:00.5+07:00'/>"
	    "<Channel>Microsoft-Windows-Windows Defender/Operational</Channel>"
	    "<Computer>PC01</Computer></System><EventData>"
	    "<Data Name='Threat Name'>Trojan:Win32/Wacatac.B!ml</Data>"
	    "<Data Name='Path'>file:_C:\\Users\\gv\\T&amp;V &lt;1&gt;.exe</Data>"
	    "<Data Name='Action Name'>Quarantine</Data>"
	    "<Data Name='Detection User'>PC01\\gi&#225;ovi&#xEA;n</Data></EventData></Event>";
	json_t *j = convert(x, NULL, 0);
	assert_string_equal(str(j, "Channel"), "Microsoft-Windows-Windows Defender/Operational");
	assert_string_equal(str(j, "Threat Name"), "Trojan:Win32/Wacatac.B!ml");
	assert_string_equal(str(j, "Path"), "file:_C:\\Users\\gv\\T&V <1>.exe");
	assert_string_equal(str(j, "Action Name"), "Quarantine");
	assert_string_equal(str(j, "Detection User"), "PC01\\gi\xc3\xa1ovi\xc3\xaan");
	/* +07:00 converted to UTC */
	assert_string_equal(str(j, "EventTime"), "2026-10-22T10:45:00.500Z");
	json_decref(j);
}

/* Unnamed Data are numbered; Binary and RenderingInfo's Message kept; System keys never
 * overwritten by EventData; Recovered marked. */
static void unnamed_data_and_collisions(void **state)
{
	(void)state;
	const char *x =
	    EV_OPEN "<Provider Name='Service Control Manager'/>"
	            "<EventID Qualifiers='16384'>7045</EventID><Channel>System</Channel>"
	            "<Computer>PC01</Computer></System><EventData><Data>svc</Data>"
	            "<Data>C:\\x.exe</Data><Data Name='EventID'>1</Data><Data/>"
	            "<Binary>0A0B</Binary></EventData><RenderingInfo Culture='en-US'>"
	            "<Message>A service was installed.</Message></RenderingInfo></Event>";
	struct cg_winevt_opts o = {"System", 4, 1};
	json_t *j = convert(x, &o, 0);
	assert_int_equal(json_integer_value(json_object_get(j, "EventID")), 7045);
	assert_string_equal(str(j, "Data1"), "svc");
	assert_string_equal(str(j, "Data2"), "C:\\x.exe");
	assert_string_equal(str(j, "Data3"), "");
	assert_string_equal(str(j, "Binary"), "0A0B");
	assert_string_equal(str(j, "Message"), "A service was installed.");
	assert_true(json_is_true(json_object_get(j, "Recovered")));
	json_decref(j);
}

static void refuses_bad_events(void **state)
{
	(void)state;
	/* no EventID, a non-numeric one, another root, broken XML, empty input */
	assert_null(
	    convert(EV_OPEN "<Channel>Security</Channel></System></Event>", NULL, CG_EPARSE));
	assert_null(convert(EV_OPEN "<EventID>12a</EventID></System></Event>", NULL, CG_EPARSE));
	assert_null(
	    convert(EV_OPEN "<EventID>99999999999</EventID></System></Event>", NULL, CG_EPARSE));
	assert_null(convert("<Events><EventID>1</EventID></Events>", NULL, CG_EPARSE));
	assert_null(convert(EV_OPEN "<EventID>4625</EventID></System>", NULL, CG_EPARSE));
	assert_null(convert("", NULL, CG_EPARSE));
}

static void refuses_hostile_xml(void **state)
{
	(void)state;
	const char *laughs =
	    "<?xml version='1.0'?><!DOCTYPE Event [<!ENTITY a 'aaaaaaaaaa'>"
	    "<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'><!ENTITY c "
	    "'&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>"
	    "<!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>]>" EV_OPEN
	    "<EventID>4625</EventID></System><EventData><Data Name='x'>&d;&d;&d;</Data>"
	    "</EventData></Event>";
	const char *external = "<!DOCTYPE Event [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>" EV_OPEN
	                       "<EventID>1</EventID></System><EventData><Data>&x;</Data>"
	                       "</EventData></Event>";
	const char *undefined = EV_OPEN "<EventID>1</EventID></System><EventData><Data>&x;</Data>"
	                                "</EventData></Event>";
	assert_null(convert(laughs, NULL, CG_EPARSE));
	assert_null(convert(external, NULL, CG_EPARSE));
	assert_null(convert(undefined, NULL, CG_EPARSE));
}

static char *repeat(const char *head, const char *unit, size_t times, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *s = malloc(hl + ul * times + tl + 1), *p = s;
	assert_non_null(s);
	memcpy(p, head, hl);
	p += hl;
	for (size_t i = 0; i < times; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	return s;
}

static void caps_depth_size_fields_values(void **state)
{
	(void)state;
	char *x;
	json_t *j;

	/* nesting past the cap inside UserData */
	x = repeat(EV_OPEN "<EventID>1</EventID></System><UserData>", "<a>", CG_MAX_WINEVT_DEPTH,
	           "");
	assert_null(convert(x, NULL, CG_ELIMIT));
	free(x);
	/* more XML than the cap */
	x = repeat(EV_OPEN "<EventID>1</EventID></System><EventData>", "<Data>0123456789</Data>",
	           CG_MAX_WINEVT_XML / 23 + 1, "</EventData></Event>");
	assert_null(convert(x, NULL, CG_ELIMIT));
	free(x);
	/* more fields than the cap: the first are kept, the event marked */
	x = repeat(EV_OPEN "<EventID>1</EventID></System><EventData>", "<Data>v</Data>",
	           CG_MAX_WINEVT_FIELDS + 50, "</EventData></Event>");
	j = convert(x, NULL, 0);
	assert_string_equal(str(j, "Data1"), "v");
	assert_non_null(json_object_get(j, "Data256"));
	assert_null(json_object_get(j, "Data257"));
	assert_true(json_is_true(json_object_get(j, "Truncated")));
	json_decref(j);
	free(x);
	/* a long value is cut at the cap, on a UTF-8 boundary */
	x = repeat(EV_OPEN "<EventID>1</EventID></System><EventData><Data Name='v'>", "\xc3\xa1",
	           CG_MAX_WINEVT_VALUE, "</Data></EventData></Event>");
	j = convert(x, NULL, 0);
	assert_int_equal(strlen(str(j, "v")), CG_MAX_WINEVT_VALUE);
	assert_true(json_is_true(json_object_get(j, "Truncated")));
	json_decref(j);
	free(x);
	{
		char *unit = repeat("<Data>", "&#1;&#2;&#3;", 2000, "</Data>");
		x = repeat(EV_OPEN "<EventID>1</EventID></System><EventData>", unit, 40,
		           "</EventData></Event>");
		free(unit);
	}
	/* control characters, even as references, are not XML 1.0: refused */
	assert_null(convert(x, NULL, CG_EPARSE));
	free(x);
	{
		char *unit = repeat("<Data>", "\"\\", 4000, "</Data>");
		x = repeat(EV_OPEN "<EventID>1</EventID></System><EventData>", unit, 40,
		           "</EventData></Event>");
		free(unit);
	}
	/* many long values that JSON escapes double: the line still fits the readers' cap */
	j = convert(x, NULL, 0);
	assert_true(json_is_true(json_object_get(j, "Truncated")));
	assert_non_null(str(j, "Data1"));
	assert_null(json_object_get(j, "Data40"));
	json_decref(j);
	free(x);
}

/* Every allocation failure is reported, never a crash or a leak (ASan checks the latter). */
static void allocation_failures(void **state)
{
	(void)state;
	for (long i = 0; i < 200; i++) {
		char *out = NULL;
		size_t n;
		cg_alloc_fail_after(i);
		int rc = cg_winevt_to_json(ev4625, strlen(ev4625), NULL, &out, &n, NULL);
		cg_alloc_fail_after(-1);
		assert_true(rc == 0 || rc == CG_ENOMEM);
		if (rc == 0) {
			assert_non_null(out);
			cg_free(out);
			break;
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(failed_logon_4625),
	    cmocka_unit_test(account_events_4720_4732_4624),
	    cmocka_unit_test(log_cleared_1102_userdata),
	    cmocka_unit_test(defender_1116_and_entities),
	    cmocka_unit_test(unnamed_data_and_collisions),
	    cmocka_unit_test(refuses_bad_events),
	    cmocka_unit_test(refuses_hostile_xml),
	    cmocka_unit_test(caps_depth_size_fields_values),
	    cmocka_unit_test(allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
