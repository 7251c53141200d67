/* f2b_dtime.c - a date template's fields into UTC seconds, as fail2ban's strptime.py: a missing
 * year is this year unless that is more than a day ahead, a 2-digit year is 20yy, zone names by
 * its fixed-offset table, a time without zone is local (the caller's tz). */
#include <string.h>

#include "canhgac/error.h"
#include "f2b_dtime.h"
#include "banned.h"

/* strptime.py TZ_STR: offset in minutes, then the abbreviations. */
static const char tz_table[] =
    "-720 Y|-660 X NUT SST|-600 W CKT HAST HST TAHT TKT|-540 V AKST GAMT GIT HADT HNY|"
    "-480 U AKDT CIST HAY HNP PST PT|-420 T HAP HNR MST PDT|-360 S CST EAST GALT HAR HNC MDT|"
    "-300 R CDT COT EASST ECT EST ET HAC HNE PET|-240 Q AST BOT CLT COST EDT FKT GYT HAE HNA PYT|"
    "-180 P ADT ART BRT CLST FKST GFT HAA PMST PYST SRT UYT WGT|-120 O BRST FNT PMDT UYST WGST|"
    "-60 N AZOT CVT EGT|0 Z EGST GMT UTC WET WT|60 A CET DFT WAT WEDT WEST|"
    "120 B CAT CEDT CEST EET SAST WAST|180 C EAT EEDT EEST IDT MSK|"
    "240 D AMT AZT GET GST KUYT MSD MUT RET SAMT SCT|"
    "300 E AMST AQTT AZST HMT MAWT MVT PKT TFT TJT TMT UZT YEKT|"
    "360 F ALMT BIOT BTT IOT KGT NOVT OMST YEKST|420 G CXT DAVT HOVT ICT KRAT NOVST OMSST THA WIB|"
    "480 H ACT AWST BDT BNT CAST HKT IRKT KRAST MYT PHT SGT ULAT WITA WST|"
    "540 I AWDT IRKST JST KST PWT TLT WDT WIT YAKT|600 K AEST ChST PGT VLAT YAKST YAPT|"
    "660 L AEDT LHDT MAGT NCT PONT SBT VLAST VUT|720 M ANAST ANAT FJT GILT MAGST MHT NZST PETST "
    "PETT TVT WFT|780 FJST NZDT|690 NFT|630 ACDT LHST|570 ACST|390 CCT MMT|345 NPT|330 SLT|"
    "270 AFT IRDT|210 IRST|-150 HAT NDT|-210 HNT NST NT|-270 HLV VET|-570 MART MIT|";

static int tz_abbr(const char *s, size_t n, int *min)
{
	const char *p = tz_table;
	while (*p) {
		int sign = 1, v = 0;
		if (*p == '-') {
			sign = -1;
			p++;
		}
		while (*p >= '0' && *p <= '9')
			v = v * 10 + (*p++ - '0');
		while (*p == ' ') {
			const char *w = ++p;
			while (*p && *p != ' ' && *p != '|')
				p++;
			if ((size_t)(p - w) == n && memcmp(w, s, n) == 0) {
				*min = sign * v;
				return 0;
			}
		}
		if (*p == '|')
			p++;
	}
	return CG_ENOENT;
}

/* zone2offset: "Z", "UTC", "GMT", "+0700", "+07:00", "+07", "CET", "CET+0100". */
static int zone(const char *s, size_t n, int *min)
{
	size_t i = 0;
	int base = 0;
	while (i < n && s[i] != '+' && s[i] != '-')
		i++;
	if (i && tz_abbr(s, i, &base))
		return CG_EPARSE;
	if (i == n) {
		*min = base;
		return 0;
	}
	int sign = s[i] == '-' ? -1 : 1;
	const char *o = s + i + 1;
	size_t on = n - i - 1;
	if (on < 2)
		return CG_EPARSE;
	int hh = (o[0] - '0') * 10 + (o[1] - '0'), mm = 0;
	if (on >= 4) {
		const char *m = o[2] == ':' ? o + 3 : o + 2;
		mm = (m[0] - '0') * 10 + (m[1] - '0');
	}
	*min = base + sign * (hh * 60 + (on >= 4 ? mm : 0));
	if (on < 4)
		*min = base + sign * hh * 60;
	return 0;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int mdays(int64_t y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 ? 28 + leap : dm[m - 1];
}

struct fields {
	int64_t year;
	int month, day, hour, min, sec, julian, have_tz, tzmin;
};

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] >= '0' && s[i] <= '9')
			v = v * 10 + (s[i] - '0');
	return v;
}

static int name_index(const char *s, size_t n, const char *const *names, int count)
{
	for (int i = 0; i < count; i++) {
		size_t k = strlen(names[i]);
		if (k != n)
			continue;
		size_t j = 0;
		while (j < n && (s[j] | 0x20) == names[i][j])
			j++;
		if (j == n)
			return i + 1;
	}
	return 0;
}

static const char *const mon_a[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                    "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const mon_f[] = {"january",   "february", "march",    "april",
                                    "may",       "june",     "july",     "august",
                                    "september", "october",  "november", "december"};

enum { F_y, F_Y, F_m, F_b, F_B, F_d, F_H, F_I, F_p, F_M, F_S, F_j, F_z, F_Z };

/* One field's text (its group number was found when the template was built), or NULL. */
static const char *grp(const struct f2b_dtpl *t, pcre2_match_data *md, const char *line, int f,
                       size_t *n)
{
	int k = t->g[f];
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	if (k <= 0 || (uint32_t)k >= pcre2_get_ovector_count(md) || ov[2 * k] == PCRE2_UNSET)
		return NULL;
	*n = ov[2 * k + 1] - ov[2 * k];
	return line + ov[2 * k];
}

static int read_fields(const struct f2b_dtpl *t, pcre2_match_data *md, const char *line,
                       struct fields *f)
{
	const char *v;
	size_t n;
	memset(f, 0, sizeof(*f));
	f->year = -1;
	if ((v = grp(t, md, line, F_y, &n)))
		f->year = 2000 + num(v, n);
	if ((v = grp(t, md, line, F_Y, &n)))
		f->year = num(v, n);
	if ((v = grp(t, md, line, F_m, &n)))
		f->month = num(v, n);
	if ((v = grp(t, md, line, F_b, &n)))
		f->month = name_index(v, n, mon_a, 12);
	if ((v = grp(t, md, line, F_B, &n)))
		f->month = name_index(v, n, mon_f, 12);
	if ((v = grp(t, md, line, F_d, &n)))
		f->day = num(v, n);
	if ((v = grp(t, md, line, F_H, &n)))
		f->hour = num(v, n);
	if ((v = grp(t, md, line, F_I, &n))) {
		size_t pn = 0;
		const char *p = grp(t, md, line, F_p, &pn);
		f->hour = num(v, n);
		int pm = p && pn == 2 && (p[0] | 0x20) == 'p';
		if (!pm && f->hour == 12)
			f->hour = 0;
		else if (pm && f->hour != 12)
			f->hour += 12;
	}
	if ((v = grp(t, md, line, F_M, &n)))
		f->min = num(v, n);
	if ((v = grp(t, md, line, F_S, &n)))
		f->sec = num(v, n);
	if ((v = grp(t, md, line, F_j, &n)))
		f->julian = num(v, n);
	if (((v = grp(t, md, line, F_z, &n)) || (v = grp(t, md, line, F_Z, &n)))) {
		f->have_tz = 1;
		if (zone(v, n, &f->tzmin))
			return CG_EPARSE;
	}
	return 0;
}

static int epoch_time(const struct f2b_dtpl *t, pcre2_match_data *md, const char *line,
                      int64_t *out)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	int k = t->grp_epoch;
	if (ov[2 * k] == PCRE2_UNSET)
		return CG_EPARSE;
	const char *v = line + ov[2 * k];
	size_t n = ov[2 * k + 1] - ov[2 * k], ip = 0;
	int64_t x = 0;
	if (t->kind == DK_TAI64N) { /* datetemplate.py: int(value[2:17], 16) */
		for (size_t i = 2; i < 17 && i < n; i++) {
			char c = v[i];
			x = x * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
		}
		*out = x;
		return 0;
	}
	while (ip < n && v[ip] >= '0' && v[ip] <= '9')
		x = x * 10 + (v[ip++] - '0');
	if (t->kind == DK_LEPOCH && n >= 13)
		x = (n >= 16 && ip == n) ? x / 1000000 : x / 1000;
	*out = x;
	return 0;
}

int f2b_dtime(const struct f2b_dtpl *t, pcre2_match_data *md, const char *line, int64_t now,
              int64_t tz, int64_t *out)
{
	struct fields f;
	int64_t ny, nowl = now + tz, ts;
	int nm, nd, assume_year = 0, assume_today = 0;
	if (t->kind != DK_PATTERN)
		return epoch_time(t, md, line, out);
	if (read_fields(t, md, line, &f))
		return CG_EPARSE;
	civil_from_days(nowl >= 0 ? nowl / 86400 : (nowl - 86399) / 86400, &ny, &nm, &nd);
	if (f.year < 0) {
		f.year = ny;
		assume_year = 1;
	}
	if ((!f.month || !f.day) && f.julian) {
		int64_t z = days_from_civil(f.year, 1, 1) + f.julian - 1;
		civil_from_days(z, &f.year, &f.month, &f.day);
	}
	if (!f.month && !f.day) {
		f.month = nm;
		f.day = nd;
		assume_today = 1;
	}
	if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > mdays(f.year, f.month) ||
	    f.hour > 23 || f.min > 59 || f.sec > 59)
		return CG_EPARSE;
	ts = days_from_civil(f.year, f.month, f.day) * 86400 + f.hour * 3600 + f.min * 60 + f.sec;
	ts -= f.have_tz ? (int64_t)f.tzmin * 60 : tz;
	if (assume_today && ts > now)
		ts -= 86400;
	if (assume_year && ts > now + 86400) {
		if (f.month == 2 && f.day == 29 && mdays(f.year - 1, 2) == 28)
			return CG_EPARSE;
		ts -= (days_from_civil(f.year, f.month, f.day) -
		       days_from_civil(f.year - 1, f.month, f.day)) *
		      86400;
	}
	*out = ts;
	return 0;
}
