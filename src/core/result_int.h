/* result_int.h - what result.c and result_parse.c share. */
#ifndef CANHGAC_RESULT_INT_H
#define CANHGAC_RESULT_INT_H

/* A copy of s ("" for NULL) cut at CG_MAX_RESULT_FIELD bytes on a character boundary. */
char *cg_result_dup(const char *s);

#endif
