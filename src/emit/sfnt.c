/*
 * Emit stage: TrueType files as the emitter reads them (OpenType spec,
 * "The OpenType font file"): the table directory, the checks that make a
 * damaged or unusable font an error instead of a read out of bounds,
 * the character map, advances, outlines and their components.  Reads
 * bytes only: no file, no libharu.
 */
#include "emit_int.h"

#include <stdio.h>
#include <string.h>

#include "../base/arena.h"

/* Composite glyph flags ("glyf" table). */
#define ARG_1_AND_2_ARE_WORDS    0x0001
#define WE_HAVE_A_SCALE          0x0008
#define MORE_COMPONENTS          0x0020
#define WE_HAVE_AN_X_AND_Y_SCALE 0x0040
#define WE_HAVE_A_TWO_BY_TWO     0x0080

/*
 * The gid code u gets through
 * format 4 segment i of seg (arrays at ends, starts, deltas, ranges and
 * glyphs, count glyph ids), or -1 when it would read past the glyph ids.
 */
static long
cmap4_gid(const unsigned char *sub, uint32_t seg, uint32_t i, uint32_t u,
          uint32_t count)
{
	const unsigned char *starts = sub + 16 + 2 * seg;
	const unsigned char *deltas = starts + 2 * seg;
	const unsigned char *ranges = deltas + 2 * seg;
	const unsigned char *glyphs = ranges + 2 * seg;
	uint32_t delta = sfnt_u16(deltas + 2 * i);
	uint32_t ro = sfnt_u16(ranges + 2 * i);

	if (ro == 0)
		return (long)((u + delta) & 0xFFFF);
	/* Unsigned, as libharu 2.3.0 computed it (fonts measure as they
	 * always did): "negative" indices wrap to huge ones, no glyph. */
	uint32_t idx = ro / 2 + (u - sfnt_u16(starts + 2 * i)) - (seg - i);
	if (idx > count)
		return 0;
	if (idx == count)
		return -1;
	return (long)((sfnt_u16(glyphs + 2 * idx) + delta) & 0xFFFF);
}

/*
 * The offset in cmap table t of the character map used: the first
 * Windows Unicode format 4 subtable, else a Macintosh format 0 one, else
 * a Unicode format 4 one (libharu 2.3.0's choice, kept); 0 when there
 * is none, -1
 * when a subtable looked at lies outside the table's len bytes.
 */
static long
choose_cmap(const unsigned char *t, size_t len)
{
	size_t ms = 0, mac = 0, uni = 0;
	uint32_t nsub = sfnt_u16(t + 2);
	for (uint32_t i = 0; i < nsub && ms == 0; i++) {
		const unsigned char *r = t + 4 + 8 * i;
		uint32_t pid = sfnt_u16(r), eid = sfnt_u16(r + 2);
		size_t off = sfnt_u32(r + 4);
		if (off + 2 > len)
			return -1;
		uint32_t format = sfnt_u16(t + off);
		if (pid == 3 && eid == 1 && format == 4)
			ms = off;
		else if (pid == 1 && eid == 0 && format == 0)
			mac = off;
		else if (pid == 0 && eid == 3 && format == 4)
			uni = off;
	}
	return (long)(ms ? ms : mac ? mac : uni);
}

/*
 * Checks the character map a font is read by (the first Windows Unicode
 * format 4 subtable, else a Macintosh format 0 one, else a Unicode
 * format 4 one): inside the table, ending at U+FFFF, and sending every
 * code to a glyph the font has.  *space gets the glyph of U+0020.
 */
static const char *
check_cmap(const unsigned char *p, struct sfnt_table cm, uint32_t nglyphs,
           uint32_t *space, char *why, size_t n)
{
	const unsigned char *t = p + cm.off;

	if (cm.len < 4 || sfnt_u16(t) != 0)
		return "the cmap table is damaged";
	uint32_t nsub = sfnt_u16(t + 2);
	if (4 + 8 * (size_t)nsub > cm.len)
		return "the cmap table is cut short";
	long chosen = choose_cmap(t, cm.len);
	if (chosen < 0)
		return "a cmap subtable lies outside the cmap table";
	if (chosen == 0)
		return "it has no Unicode character map (cmap format 4)";
	size_t sub = (size_t)chosen;
	t += sub;
	if (sfnt_u16(t) == 0) { /* the Macintosh byte map */
		if (sub + 262 > cm.len)
			return "the character map is cut short";
		for (uint32_t c = 0; c < 256; c++) {
			if (t[6 + c] >= nglyphs) {
				snprintf(why, n,
				         "the character map sends U+%04X to "
				         "glyph %u, but the font has %u glyphs",
				         (unsigned)c, (unsigned)t[6 + c],
				         (unsigned)nglyphs);
				return why;
			}
		}
		*space = t[6 + 0x20];
		return NULL;
	}
	if (sub + 14 > cm.len)
		return "the character map is cut short";
	size_t length = sfnt_u16(t + 2);
	uint32_t seg = sfnt_u16(t + 6) / 2;
	if (seg == 0)
		return "the character map has no segments";
	if (length < 16 + 8 * (size_t)seg || sub + length > cm.len)
		return "the character map is cut short";
	uint32_t count = (uint32_t)(length - 16 - 8 * (size_t)seg) / 2;
	const unsigned char *ends = t + 14, *starts = t + 16 + 2 * seg;
	if (sfnt_u16(ends + 2 * (seg - 1)) != 0xFFFF)
		return "the character map does not end at U+FFFF";
	/* A code is looked up in the first segment ending at or after
	 * it; every code reaches one, as the last segment ends at U+FFFF. */
	long done = -1;
	for (uint32_t i = 0; i < seg; i++) {
		long end = (long)sfnt_u16(ends + 2 * i);
		long from = (long)sfnt_u16(starts + 2 * i);
		if (end <= done)
			continue;
		if (from <= done)
			from = done + 1;
		for (long u = from; u <= end; u++) {
			long gid = cmap4_gid(t, seg, i, (uint32_t)u, count);
			if (gid < 0)
				return "the character map points past its "
				       "glyph list";
			if (gid >= (long)nglyphs) {
				snprintf(
				    why, n,
				    "the character map sends U+%04lX to "
				    "glyph %ld, but the font has %u glyphs",
				    u, gid, (unsigned)nglyphs);
				return why;
			}
			if (u == 0x20)
				*space = (uint32_t)gid;
		}
		done = end;
	}
	return NULL;
}

/*
 * Checks the name table as ps_name() reads it: every string inside the
 * table, and a PostScript name (ID 6) and a style name (ID 2), Macintosh
 * Roman or Windows US English, short enough for a PDF name (127 bytes)
 * with the subset tag.  The style name is required as libharu 2.3.0
 * required it, so that the fonts accepted stay the same.
 */
static const char *
check_names(const unsigned char *p, struct sfnt_table nm)
{
	const unsigned char *t = p + nm.off;
	size_t len1 = 0, len2 = 0, len1u = 0, len2u = 0;
	bool has1 = false, has2 = false;

	if (nm.len < 6)
		return "the name table is cut short";
	uint32_t count = sfnt_u16(t + 2), strings = sfnt_u16(t + 4);
	if (6 + 12 * (size_t)count > nm.len)
		return "the name table is cut short";
	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *r = t + 6 + 12 * i;
		uint32_t pid = sfnt_u16(r), eid = sfnt_u16(r + 2),
		         lang = sfnt_u16(r + 4);
		uint32_t id = sfnt_u16(r + 6);
		size_t slen = sfnt_u16(r + 8), off = sfnt_u16(r + 10);
		if (strings + off + slen > nm.len)
			return "a name lies outside the name table";
		if (pid == 1 && eid == 0 && (id == 6 || id == 2)) {
			*(id == 6 ? &len1 : &len2) = slen;
			*(id == 6 ? &has1 : &has2) = true;
		} else if (pid == 3 && eid == 1 && lang == 0x0409 &&
		           (id == 6 || id == 2)) {
			*(id == 6 ? &len1u : &len2u) = slen;
			*(id == 6 ? &has1 : &has2) = true;
		}
	}
	if (!has1)
		return "it has no PostScript name (name ID 6)";
	if (!has2)
		return "it has no style name (name ID 2)";
	/* Windows names are UTF-16: every second byte is kept. */
	if (len1 == 0)
		len1 = len1u / 2 + len1u % 2;
	if (len2 == 0)
		len2 = len2u / 2 + len2u % 2;
	if (len1 == 0)
		return "its PostScript name is empty";
	if (len1 + len2 + 8 > 127)
		return "its PostScript and style names are longer than the "
		       "PDF library allows (119 bytes together)";
	return NULL;
}

/* The tags of enum sfnt_tag, in its order. */
const char sfnt_tags[TT__MAX][5] = {
    [TT_HEAD] = "head", [TT_HHEA] = "hhea", [TT_MAXP] = "maxp",
    [TT_HMTX] = "hmtx", [TT_CMAP] = "cmap", [TT_LOCA] = "loca",
    [TT_GLYF] = "glyf", [TT_NAME] = "name", [TT_OS2] = "OS/2",
    [TT_POST] = "post", [TT_CVT] = "cvt ",  [TT_FPGM] = "fpgm",
    [TT_PREP] = "prep", [TT_GDEF] = "GDEF", [TT_GSUB] = "GSUB",
    [TT_GPOS] = "GPOS", [TT_KERN] = "kern",
};

/*
 * Reads the table directory of p[0..len) into tab and found (the first
 * table of each tag counts).  Returns why it is unusable, or NULL.
 */
const char *
sfnt_tables(const unsigned char *p, size_t len, struct sfnt_table *tab,
            bool *found, char *why, size_t n)
{
	for (int k = 0; k < TT__MAX; k++) {
		tab[k] = (struct sfnt_table){0, 0};
		found[k] = false;
	}
	if (len < 12)
		return "the file is too short for a table directory";
	size_t ntab = sfnt_u16(p + 4);
	if (ntab == 0)
		return "it has no tables";
	if (ntab > 625) /* 10,000 bytes of records */
		return "its table directory is damaged (more than 625 "
		       "tables)";
	if (12 + 16 * ntab > len)
		return "the file ends inside its table directory";
	for (size_t i = 0; i < ntab; i++) {
		const unsigned char *r = p + 12 + 16 * i;
		size_t off = sfnt_u32(r + 8), tlen = sfnt_u32(r + 12);
		char tag[5];
		for (int k = 0; k < 4; k++)
			tag[k] = r[k] >= 0x20 && r[k] < 0x7F && r[k] != '"'
			             ? (char)r[k]
			             : '?';
		tag[4] = '\0';
		if (off > len || tlen > len - off) {
			snprintf(why, n,
			         "table \"%s\" ends at byte %llu, but the file "
			         "has %zu bytes; it is truncated or damaged",
			         tag, (unsigned long long)off + tlen, len);
			return why;
		}
		for (int k = 0; k < TT__MAX; k++) {
			if (!found[k] && memcmp(r, sfnt_tags[k], 4) == 0) {
				tab[k] = (struct sfnt_table){off, tlen};
				found[k] = true;
			}
		}
	}
	return NULL;
}

const char *
sfnt_problem(const unsigned char *p, size_t len, char *why, size_t n)
{
	struct sfnt_table tab[TT__MAX];
	bool found[TT__MAX];
	enum {
		HEAD = TT_HEAD,
		HHEA = TT_HHEA,
		MAXP = TT_MAXP,
		HMTX = TT_HMTX,
		CMAP = TT_CMAP,
		LOCA = TT_LOCA,
		GLYF = TT_GLYF,
		NAME = TT_NAME,
		OS2 = TT_OS2,
		POST = TT_POST,
		N = TT__MAX
	};

	const char *bad = sfnt_tables(p, len, tab, found, why, n);
	if (bad != NULL)
		return bad;
	for (int k = 0; k < POST; k++) {
		if (!found[k]) {
			snprintf(why, n, "the required table \"%s\" is missing",
			         sfnt_tags[k]);
			return why;
		}
	}

	const unsigned char *head = p + tab[HEAD].off;
	if (tab[HEAD].len < 54 || sfnt_u32(head + 12) != 0x5F0F3CF5)
		return "the head table is damaged";
	uint32_t upem = sfnt_u16(head + 18), loc_format = sfnt_u16(head + 50);
	if (upem < 16 || upem > 16384) {
		snprintf(why, n, "its unitsPerEm is %u, not 16 to 16384",
		         (unsigned)upem);
		return why;
	}
	if (loc_format > 1)
		return "the head table is damaged (indexToLocFormat is "
		       "neither 0 nor 1)";
	if (tab[MAXP].len < 6)
		return "the maxp table is cut short";
	uint32_t nglyphs = sfnt_u16(p + tab[MAXP].off + 4);
	if (nglyphs == 0)
		return "it has no glyphs";
	if (tab[HHEA].len < 36)
		return "the hhea table is cut short";
	uint32_t nmetrics = sfnt_u16(p + tab[HHEA].off + 34);
	if (nmetrics == 0 || nmetrics > nglyphs) {
		snprintf(why, n, "it has %u horizontal metrics for %u glyphs",
		         (unsigned)nmetrics, (unsigned)nglyphs);
		return why;
	}
	if (tab[HMTX].len <
	    4 * (size_t)nmetrics + 2 * (size_t)(nglyphs - nmetrics))
		return "the hmtx table is cut short";

	size_t unit = loc_format == 0 ? 2 : 4;
	if (tab[LOCA].len < unit * ((size_t)nglyphs + 1))
		return "the loca table is cut short";
	const unsigned char *loca = p + tab[LOCA].off;
	size_t prev = 0;
	for (uint32_t g = 0; g <= nglyphs; g++) {
		size_t at = unit == 2 ? 2 * (size_t)sfnt_u16(loca + 2 * g)
		                      : sfnt_u32(loca + 4 * g);
		if (at < prev || at > tab[GLYF].len) {
			/* Entry g starts glyph g and ends glyph g - 1. */
			snprintf(why, n,
			         at < prev
			             ? "the loca table is out of order at "
			               "glyph %u"
			             : "glyph %u lies outside the glyf "
			               "table",
			         (unsigned)(g < nglyphs ? g : g - 1));
			return why;
		}
		prev = at;
	}

	const unsigned char *os2 = p + tab[OS2].off;
	if (tab[OS2].len < 2 || tab[OS2].len < (sfnt_u16(os2) == 0   ? 78u
	                                        : sfnt_u16(os2) == 1 ? 86u
	                                                             : 90u))
		return "the OS/2 table is cut short";
	/* fsType: restricted (2), no subsetting (0x100) or bitmaps only
	 * (0x200).  Only a subset is ever embedded. */
	uint32_t fs_type = sfnt_u16(os2 + 8);
	if (fs_type & 0x0302) {
		snprintf(why, n,
		         "its licence forbids embedding a subset of it "
		         "(OS/2 fsType 0x%04X)",
		         (unsigned)fs_type);
		return why;
	}
	if (found[POST] && tab[POST].len < 12)
		return "the post table is cut short";
	bad = check_names(p, tab[NAME]);
	if (bad != NULL)
		return bad;

	uint32_t space = 0;
	bad = check_cmap(p, tab[CMAP], nglyphs, &space, why, n);
	if (bad != NULL)
		return bad;
	/* Text is measured in spaces: a space of no width breaks lines
	 * and leaders. */
	const unsigned char *hmtx = p + tab[HMTX].off;
	uint32_t m = space < nmetrics ? space : nmetrics - 1;
	if (sfnt_u16(hmtx + 4 * m) == 0)
		return "its space has no width";
	return NULL;
}

/*
 * The PostScript name (ID 6) as check_names() found it: Macintosh Roman,
 * else Windows US English with every second byte of its UTF-16 kept.
 */
static const char *
ps_name(struct arena *a, const unsigned char *p, struct sfnt_table nm)
{
	const unsigned char *t = p + nm.off;
	uint32_t count = sfnt_u16(t + 2), strings = sfnt_u16(t + 4);
	const unsigned char *mac = NULL, *win = NULL;
	size_t mac_len = 0, win_len = 0;

	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *r = t + 6 + 12 * i;
		uint32_t pid = sfnt_u16(r), eid = sfnt_u16(r + 2),
		         lang = sfnt_u16(r + 4);
		if (sfnt_u16(r + 6) != 6)
			continue;
		const unsigned char *s = t + strings + sfnt_u16(r + 10);
		if (pid == 1 && eid == 0) {
			mac = s;
			mac_len = sfnt_u16(r + 8);
		} else if (pid == 3 && eid == 1 && lang == 0x0409) {
			win = s;
			win_len = sfnt_u16(r + 8);
		}
	}
	bool use_mac = mac != NULL && mac_len > 0;
	char *out = arena_alloc(a, (use_mac ? mac_len : win_len / 2) + 1);
	size_t n = 0;
	if (use_mac)
		for (size_t i = 0; i < mac_len; i++)
			out[n++] = (char)mac[i];
	else
		for (size_t i = 1; i < win_len; i += 2)
			out[n++] = (char)win[i];
	/* A PDF name is bytes other than NUL; keep it printable. */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out[i] <= 0x20 ||
		    (unsigned char)out[i] >= 0x7F)
			out[i] = '-';
	out[n] = '\0';
	return out;
}

/* Reads what the typesetter and the PDF need from a checked font. */
void
sfnt_parse(struct arena *a, struct emit_face *ef)
{
	const unsigned char *p = ef->ttf;
	bool found[TT__MAX];
	char why[160];

	(void)sfnt_tables(p, ef->ttf_len, ef->tab, found, why, sizeof why);
	const unsigned char *head = p + ef->tab[TT_HEAD].off;
	const unsigned char *hhea = p + ef->tab[TT_HHEA].off;
	ef->upem = sfnt_u16(head + 18);
	ef->loca_long = sfnt_u16(head + 50) == 1;
	ef->nglyphs = sfnt_u16(p + ef->tab[TT_MAXP].off + 4);
	ef->nmetrics = sfnt_u16(hhea + 34);
	ef->ascent = (int16_t)sfnt_u16(hhea + 4) * 1000 / (int32_t)ef->upem;
	ef->descent = (int16_t)sfnt_u16(hhea + 6) * 1000 / (int32_t)ef->upem;
	if (ef->ascent == 0) { /* no hhea ascent: the OS/2 typographic one */
		const unsigned char *os2 = p + ef->tab[TT_OS2].off;
		ef->ascent =
		    (int16_t)sfnt_u16(os2 + 68) * 1000 / (int32_t)ef->upem;
		ef->descent =
		    (int16_t)sfnt_u16(os2 + 70) * 1000 / (int32_t)ef->upem;
	}
	if (ef->descent >= 0)
		ef->descent = -ef->descent;
	ef->name = ps_name(a, p, ef->tab[TT_NAME]);
}

/* Advance of glyph gid [1/1000 em], truncated as /W gets it. */
uint32_t
sfnt_advance(const struct emit_face *ef, uint32_t gid)
{
	const unsigned char *hmtx = ef->ttf + ef->tab[TT_HMTX].off;
	uint32_t m = gid < ef->nmetrics ? gid : ef->nmetrics - 1;
	return sfnt_u16(hmtx + 4 * m) * 1000 / ef->upem;
}

/* Where glyph g's outline starts in the glyf table [bytes]. */
size_t
sfnt_glyph_at(const struct emit_face *ef, uint32_t g)
{
	const unsigned char *loca = ef->ttf + ef->tab[TT_LOCA].off;
	return ef->loca_long ? sfnt_u32(loca + 4 * g)
	                     : 2 * (size_t)sfnt_u16(loca + 2 * g);
}

/*
 * Where a component record of the glyph outline p[0..n) starts: with at
 * 0 the first, else the one after the record at at (OpenType spec,
 * "glyf" table); 0 when there is none: a simple or empty glyph, the last
 * record, or one cut short.  A record's glyph number is at at + 2.
 */
size_t
sfnt_next_component(const unsigned char *p, size_t n, size_t at)
{
	if (at == 0) {
		/* Past the contour count (negative: composite) and the
		 * bounding box. */
		at = n >= 10 && (sfnt_u16(p) & 0x8000) ? 10 : 0;
	} else {
		uint32_t flags = sfnt_u16(p + at);
		if (!(flags & MORE_COMPONENTS))
			return 0;
		at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
		if (flags & WE_HAVE_A_SCALE)
			at += 2;
		else if (flags & WE_HAVE_AN_X_AND_Y_SCALE)
			at += 4;
		else if (flags & WE_HAVE_A_TWO_BY_TWO)
			at += 8;
	}
	return at != 0 && at + 4 <= n ? at : 0;
}

void
sfnt_descriptor(const struct emit_face *ef, struct sfnt_desc *d)
{
	const unsigned char *p = ef->ttf;
	const unsigned char *head = p + ef->tab[TT_HEAD].off;
	const unsigned char *os2 = p + ef->tab[TT_OS2].off;
	int32_t upem = (int32_t)ef->upem;

	/* Flags: nonsymbolic (32), serif (2) by the OS/2 family class,
	 * italic (64) by the head table's macStyle. */
	uint32_t family = os2[30];
	d->flags = 32;
	if ((family >= 1 && family <= 5) || family == 7)
		d->flags |= 2;
	if (sfnt_u16(head + 44) & 2)
		d->flags |= 64;
	for (int i = 0; i < 4; i++)
		d->bbox[i] = (int16_t)sfnt_u16(head + 36 + 2 * i) * 1000 / upem;
	d->italic = 0;
	if (ef->tab[TT_POST].len >= 8)
		d->italic =
		    (int32_t)sfnt_u32(p + ef->tab[TT_POST].off + 4) / 65536;
	/* sCapHeight from OS/2 version 2, else 70% of the em. */
	d->cap = sfnt_u16(os2) >= 2 && ef->tab[TT_OS2].len >= 90
	             ? (int16_t)sfnt_u16(os2 + 88) * 1000 / upem
	             : 700;
	/* A rough vertical stem width from the weight class. */
	uint32_t weight = sfnt_u16(os2 + 4);
	d->stemv = 50 + (int32_t)(weight > 900 ? 900 : weight) / 5;
	d->dw = (int32_t)sfnt_advance(ef, 0);
}
