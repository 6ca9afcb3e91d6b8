/* tern's JSON library: a reader (strict JSON plus Kea's comments, or Kea's
 * whole dialect; a position on every value and key), a tree builder and a
 * writer. */
#ifndef TERN_COMMON_JSON_H
#define TERN_COMMON_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Why tern has its own JSON library rather than one from Debian (see
 * docs/config.md, "JSON"): the configuration is Kea's, and a Kea user
 * expects every error, semantic ones included ("valid-lifetime below
 * min-valid-lifetime"), at a file:line:column. That needs a position on
 * every value and every key, which the library tern used before did not
 * keep; it also did not read Kea's "#" comments, and kept the last of
 * duplicate keys where Kea refuses them. With one library, ternd's
 * configuration and control socket, tern-mgr's configuration and ternctl
 * read and write JSON the same way, with the same limits, allocating from
 * one arena per document.
 *
 * Reading
 * -------
 * Grammar: RFC 8259 JSON, strict (no trailing commas, no single quotes, no
 * bare words other than true/false/null, no NaN), plus the comment forms
 * Kea's lexer skips: "// ... end of line", "# ... end of line" and
 * "slash-star ... star-slash". Comments are only recognised between tokens,
 * never inside strings. Kea's <?include?> directive is refused (it is part
 * of Kea's dialect, below).
 *
 * Strings must be valid UTF-8; \uXXXX escapes (surrogate pairs included)
 * are decoded to UTF-8; \u0000 and lone surrogates are refused so every
 * string is a plain C string. Duplicate keys within one object are refused
 * (Kea refuses duplicate parameters too), the error points at the second
 * occurrence and names the first.
 *
 * Numbers: integers that fit int64_t are kept exactly (is_int); anything
 * with a fraction or exponent is a real; an integer outside int64_t is an
 * error. Positions are 1-based lines and byte columns.
 *
 * Everything a parse produces lives in one arena freed by tjson_doc_free().
 */

enum tjson_type {
	TJSON_NULL,
	TJSON_BOOL,
	TJSON_NUMBER,
	TJSON_STRING,
	TJSON_ARRAY,
	TJSON_OBJECT,
};

struct tjson_pos {
	uint32_t line;
	uint32_t col;
	/* 0: the text given to the parser; else an included file
	 * (tjson_doc.files[file], Kea's dialect only). */
	uint32_t file;
	/* Where the byte is in the whole input, included files spliced in
	 * where their directive is: positions compare by off. */
	uint32_t off;
};

struct tjson {
	enum tjson_type type;
	bool is_int;	       /* TJSON_NUMBER without fraction or exponent */
	bool b;		       /* TJSON_BOOL */
	bool linked;	       /* an element or member already (builder) */
	struct tjson_pos pos;  /* first byte of the value */
	struct tjson_pos kpos; /* first byte of the key, for object members */
	const char *key;       /* NULL unless a member of an object */
	struct tjson *next;    /* next element or member */
	struct tjson *child;   /* first element or member */
	struct tjson *last;    /* last element or member */
	size_t n;	       /* elements or members */
	int64_t i;	       /* integer value (is_int) */
	double d;	       /* numeric value, also set for integers */
	const char *s;	       /* TJSON_STRING, NUL-terminated */
	size_t len;	       /* string length in bytes */
};

struct tjson_limits {
	size_t max_input;  /* bytes */
	size_t max_depth;  /* nested arrays/objects */
	size_t max_nodes;  /* values in the document */
	size_t max_string; /* bytes in one string after decoding */
};

#define TJSON_DEFAULT_MAX_INPUT	 (16u * 1024u * 1024u)
#define TJSON_DEFAULT_MAX_DEPTH	 64u
#define TJSON_DEFAULT_MAX_NODES	 (1u << 20)
#define TJSON_DEFAULT_MAX_STRING (64u * 1024u)

/* A text read by a Kea-dialect parse: files[0] is the text given to the
 * parser, the others were included, in the order they were read. */
struct tjson_file {
	const char *name;      /* as the directive wrote it; files[0]: the
				  name the caller gave, or "<string>" */
	struct tjson_pos from; /* the "<?" of the directive that read it */
};

struct tjson_doc {
	struct ternd_arena *arena;
	struct tjson *root; /* the parsed value; a builder may set it */
	int error;	    /* first building failure (-errno), 0 if none */
	struct tjson_file *files; /* Kea's dialect: the texts read */
	size_t n_files;
};

struct tjson_error {
	struct tjson_pos pos;
	/* The input ended inside the value: more bytes may complete it
	 * (a stream reader waits for them rather than refusing). */
	bool incomplete;
	char msg[192];
	/* Kea's dialect, an error in an included file: its name, and
	 * "included from a.json:3:1, from main.json:7:20" (else ""). */
	char file[256];
	char from[512];
};

/*
 * Parse buf[0..len) (need not be NUL-terminated). lim NULL means the
 * defaults above. On success *ret_doc owns the tree; on failure *ret_doc is
 * untouched and *err (if not NULL) says where and why.
 * Returns 0, -EBADMSG (syntax), -E2BIG (a limit), -ENOMEM, -EINVAL.
 */
int tjson_parse(const char *buf, size_t len, const struct tjson_limits *lim,
		struct tjson_doc **ret_doc, struct tjson_error *err);
/*
 * The same for the first value only: what follows it is left alone (a
 * request on a socket may be followed by anything). *ret_end is the
 * offset just past the value. When the input ends inside the value, the
 * error has incomplete set.
 */
int tjson_parse_prefix(const char *buf, size_t len,
		       const struct tjson_limits *lim,
		       struct tjson_doc **ret_doc, size_t *ret_end,
		       struct tjson_error *err);
void tjson_doc_free(struct tjson_doc *doc);

/*
 * Kea's dialect
 * -------------
 * What kea-dhcp4 2.2's lexer and grammar accept (src/bin/dhcp4/
 * dhcp4_lexer.ll, dhcp4_parser.yy), for ternd's configuration; tern-mgr and
 * the control socket stay strict:
 *
 * - Extra commas: after at least one element, a comma followed by another
 *   comma or by the closing bracket is accepted, with a warning at that
 *   comma ({"a": 1,}, [1,,2]); a leading comma ({, "a": 1}) is an error.
 * - <?include "file"?>: blanks and newlines allowed inside, the name has
 *   no '"' nor newline. The file's text is spliced where the directive is,
 *   between tokens (inside a string it is text). The name is opened as it
 *   is, relative to the working directory (as Kea does, not to the
 *   including file). At most TJSON_KEA_MAX_NESTED files open at once, as
 *   Kea; TJSON_KEA_MAX_INCLUDES directives and lim->max_input bytes in all
 *   the texts together. Positions in an included file carry its index in
 *   doc->files (tjson_origin() tells where it was included from).
 * - Numbers as Kea lexes them: an integer is -?[0-9]+ (leading zeros
 *   allowed: 0400 is 400); anything else numeric is a real: .5, 5., +1,
 *   1e3 (so +1 is refused where an integer is wanted, as by Kea).
 * - Strings are bytes: \u00XX is the byte XX and other \u escapes are
 *   errors (Kea knows no others); bytes >= 0x80 pass as they are, UTF-8 or
 *   not. \u0000 is refused (Kea keeps a NUL inside the string; tern's
 *   strings are C strings).
 * Comments, duplicate keys and the rest are as in strict mode.
 */
#define TJSON_KEA_MAX_NESTED   11 /* kea-dhcp4: "Too many nested include" */
#define TJSON_KEA_MAX_INCLUDES 4096

struct tjson_kea {
	const char *name; /* the given text's file name; NULL: "<string>" */
	/* A warning (an extra comma); doc->files is complete up to pos. */
	void (*warn)(void *arg, const struct tjson_doc *doc,
		     struct tjson_pos pos, const char *msg);
	/* Reads an included file into a malloc'ed buffer: 0, or -errno
	 * (-EFBIG over max bytes). NULL: tjson_read_file. */
	int (*read)(void *arg, const char *name, size_t max, char **ret_text,
		    size_t *ret_len);
	void *arg;
};

int tjson_parse_kea(const char *buf, size_t len, const struct tjson_limits *lim,
		    const struct tjson_kea *kea, struct tjson_doc **ret_doc,
		    struct tjson_error *err);
/* The file name at most max bytes long, read whole: 0 or -errno. */
int tjson_read_file(void *arg, const char *name, size_t max, char **ret_text,
		    size_t *ret_len);
/* The name of the file a position is in: NULL for the given text. */
const char *tjson_file_name(const struct tjson_doc *doc, uint32_t file);
/* "included from b.json:1:1, from main.json:7:20" into buf (cap > 0),
 * "" for the given text; truncated to fit. */
void tjson_origin(const struct tjson_doc *doc, uint32_t file, char *buf,
		  size_t cap);

/* Member of an object by key, NULL if absent or obj is not an object. */
const struct tjson *tjson_get(const struct tjson *obj, const char *key);
/* "string", "integer", ... for messages. */
const char *tjson_type_name(const struct tjson *v);

/*
 * Building
 * --------
 * A document made by tjson_doc_new() holds new nodes in its arena (at
 * most limit bytes; 0 means TJSON_DOC_DEFAULT_LIMIT); tjson_doc_free()
 * releases them all. Strings and keys are copied in. A node is put in at
 * most one array or object.
 *
 * Errors are sticky so a caller can build a whole answer and check once:
 * a constructor returns NULL and tjson_add/tjson_append return -errno
 * (-ENOMEM past the limit, -EINVAL for a bad argument, a NULL value
 * included), and the first such failure stays in doc->error.
 */
#define TJSON_DOC_DEFAULT_LIMIT (64u * 1024u * 1024u)

int tjson_doc_new(size_t limit, struct tjson_doc **ret_doc);

struct tjson *tjson_new_object(struct tjson_doc *doc);
struct tjson *tjson_new_array(struct tjson_doc *doc);
/* s[0..len) may hold any bytes, NUL included (see tjson_write). */
struct tjson *tjson_new_stringn(struct tjson_doc *doc, const char *s,
				size_t len);
struct tjson *tjson_new_string(struct tjson_doc *doc, const char *s);
struct tjson *tjson_new_int(struct tjson_doc *doc, int64_t i);
/* A real; NaN and infinities have no JSON form: -EINVAL. */
struct tjson *tjson_new_double(struct tjson_doc *doc, double d);
struct tjson *tjson_new_bool(struct tjson_doc *doc, bool b);
struct tjson *tjson_new_null(struct tjson_doc *doc);
/* A deep copy of v (from any document) into doc; the copy has no key. */
struct tjson *tjson_copy(struct tjson_doc *doc, const struct tjson *v);

/* Append v to the array arr. */
int tjson_append(struct tjson_doc *doc, struct tjson *arr, struct tjson *v);
/*
 * Add the member key: v to obj, after the members already there (members
 * keep the order they were added in). Keys are not checked for
 * uniqueness, which would make building a big object quadratic: use
 * tjson_set when key may already be there.
 */
int tjson_add(struct tjson_doc *doc, struct tjson *obj, const char *key,
	      struct tjson *v);
/* Like tjson_add, but a member key already there is replaced in place. */
int tjson_set(struct tjson_doc *doc, struct tjson *obj, const char *key,
	      struct tjson *v);
/* Shorthands for tjson_add(doc, obj, key, tjson_new_...(doc, x)). */
int tjson_add_str(struct tjson_doc *doc, struct tjson *obj, const char *key,
		  const char *s);
int tjson_add_int(struct tjson_doc *doc, struct tjson *obj, const char *key,
		  int64_t i);
int tjson_add_bool(struct tjson_doc *doc, struct tjson *obj, const char *key,
		   bool b);

/*
 * Members of every object in v ordered by key (bytewise, as Kea's
 * std::map orders them), for answers byte-identical to Kea's. Returns 0,
 * -E2BIG when v is nested deeper than TJSON_MAX_DEPTH.
 */
int tjson_sort_keys(struct tjson *v);

/*
 * Same type and value, members with the same keys in the same order
 * (integers and reals differ even when equal in value). Trees nested
 * deeper than TJSON_MAX_DEPTH compare unequal.
 */
bool tjson_equal(const struct tjson *a, const struct tjson *b);

/*
 * Writing
 * -------
 * Styles:
 *   TJSON_WRITE_COMPACT  {"a":1,"b":[true,null]}
 *   TJSON_WRITE_KEA      { "a": 1, "b": [ true, null ] }  (Kea's answers:
 *                        Element::str(); an empty map is "{  }")
 *   TJSON_WRITE_PRETTY   Kea's prettyPrint layout (config-write): a map
 *                        member per line, lists of scalars on one line,
 *                        TJSON_PRETTY_INDENT spaces per level (Kea's
 *                        default is 2), no final newline
 * Members come out in the order they are in the tree (tjson_sort_keys
 * gives Kea's order). Strings: '"' and '\' are escaped, control
 * characters as \b \f \n \r \t or \u00XX (DEL too), valid UTF-8 is
 * kept as it is, and each byte of an invalid UTF-8 sequence is written as
 * \u00XX (its Latin-1 reading): the text is always valid JSON. A NUL
 * byte is written \u0000, which tjson_parse refuses. Reals are written
 * with the fewest digits that read back to the same double, and always
 * with a '.' or an exponent so they read back as reals (0.5, 2500.0, 1e+300).
 *
 * A tree nested deeper than TJSON_MAX_DEPTH is refused (-E2BIG): what
 * tern writes, tjson_parse reads back with its default limits.
 */
enum tjson_style {
	TJSON_WRITE_COMPACT,
	TJSON_WRITE_KEA,
	TJSON_WRITE_PRETTY,
};

#define TJSON_PRETTY_INDENT 4
#define TJSON_MAX_DEPTH	    TJSON_DEFAULT_MAX_DEPTH

/*
 * v as text in buf[0..cap), NUL-terminated; its length (without the NUL)
 * in *ret_len when ret_len is not NULL. Returns 0, -ENOBUFS when it does
 * not fit (buf then holds ""), -E2BIG, -EINVAL.
 */
int tjson_write(const struct tjson *v, enum tjson_style style, char *buf,
		size_t cap, size_t *ret_len);
/*
 * The same into a malloc'ed buffer grown as needed (the caller frees
 * *ret), for answers of unknown size: at most max bytes with the NUL,
 * else -ENOBUFS. Returns 0, -ENOBUFS, -ENOMEM, -E2BIG, -EINVAL.
 */
int tjson_write_alloc(const struct tjson *v, enum tjson_style style, size_t max,
		      char **ret, size_t *ret_len);

/* Whether s[0..len) is UTF-8 text (RFC 3629), as the reader demands of
 * every string: text that is not cannot be saved and read back as it is. */
bool tjson_utf8_valid(const char *s, size_t len);

/* Internal, shared by the reader and the writer: the length of the valid
 * UTF-8 sequence at p (before end), 0 when invalid (RFC 3629). */
size_t tjson__utf8_seq(const unsigned char *p, const unsigned char *end);

#endif
