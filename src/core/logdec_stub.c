/* logdec_stub.c - decoders not written yet (temporary). */
#include "canhgac/error.h"
#include "logdec_int.h"
#include "banned.h"

int cg_ld_journald(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r)
{
	(void)o, (void)p, (void)n, (void)r;
	return CG_ENOENT;
}
int cg_ld_access(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r)
{
	(void)o, (void)p, (void)n, (void)r;
	return CG_ENOENT;
}
int cg_ld_apache_error(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r)
{
	(void)o, (void)p, (void)n, (void)r;
	return CG_ENOENT;
}
int cg_ld_nginx_error(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r)
{
	(void)o, (void)p, (void)n, (void)r;
	return CG_ENOENT;
}
int cg_ld_vsftpd_log(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r)
{
	(void)o, (void)p, (void)n, (void)r;
	return CG_ENOENT;
}
int cg_ld_winjson(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r)
{
	(void)o, (void)p, (void)n, (void)r;
	return CG_ENOENT;
}
int cg_ld_postfix(struct cg_logrec *r, const char *m, size_t n)
{
	(void)r, (void)m, (void)n;
	return 0;
}
int cg_ld_dovecot(struct cg_logrec *r, const char *m, size_t n)
{
	(void)r, (void)m, (void)n;
	return 0;
}
int cg_ld_vsftpd(struct cg_logrec *r, const char *m, size_t n)
{
	(void)r, (void)m, (void)n;
	return 0;
}
int cg_ld_proftpd(struct cg_logrec *r, const char *m, size_t n)
{
	(void)r, (void)m, (void)n;
	return 0;
}
int cg_ld_winsec_text(struct cg_logrec *r, const char *m, size_t n)
{
	(void)r, (void)m, (void)n;
	return 0;
}
int cg_ld_snare(struct cg_logrec *r, const char *m, size_t n)
{
	(void)r, (void)m, (void)n;
	return 0;
}
