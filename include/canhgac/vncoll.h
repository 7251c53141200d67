/* vncoll.h - Vietnamese sort keys, so that databases sort and page names the Vietnamese way with
 * a plain byte comparison of a key column (COLLATE "C" in PostgreSQL, BINARY in SQLite).
 *
 * Order: the alphabet a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư v (w) x y (z),
 * digits before letters, syllable by syllable ("An Bình" < "Anh"); names equal in their letters
 * then sort by tone, ngang < huyền < hỏi < ngã < sắc < nặng; case and punctuation are ignored.
 * For people (person=1) the given name (tên, the last word) sorts first, then the rest
 * ("Trần Thị Bình" sorts under B). Pure; the key is printable ASCII.
 */
#ifndef CANHGAC_VNCOLL_H
#define CANHGAC_VNCOLL_H

#include <stddef.h>

/* Writes the key of UTF-8 `name` into out (always NUL-terminated, truncated to cap). */
void cg_vn_collkey(const char *name, int person, char *out, size_t cap);

#endif
