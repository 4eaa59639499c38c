/*
 * Languages and scripts: BCP 47 tag syntax (RFC 5646, section 2.1), a
 * table of the scripts of letters, and lower-case forms, as much as the
 * hyphenation of Latin, Greek and Cyrillic words needs; the small words
 * a title cut short must not end on.
 */
#include "lang.h"

#include <string.h>

#include "utf8.h"

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c;
}

static char
upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c & ~0x20) : c;
}

/* Where a subtag may stand after the language. */
enum at {
	AT_LANGUAGE,  /* the first subtag */
	AT_EXTLANG,   /* after the language: up to three extended
	               * languages (3 letters: "zh-yue"), then as
	               * AT_SCRIPT */
	AT_EXTLANG_2, /* after one of them */
	AT_EXTLANG_3, /* after two */
	AT_SCRIPT,    /* script, region, variant */
	AT_REGION,    /* after the script: region, variant */
	AT_VARIANT,   /* variants, then extensions */
	AT_EXTENSION, /* after a singleton: at least one more */
	AT_EXT_MORE,  /* more of an extension, or another singleton */
	AT_PRIVATE,   /* after "x": at least one more */
	AT_PRIV_MORE, /* the rest is private use */
};

static const char *const bad_subtag =
    "is not an extended language (3 letters, after the language), script "
    "(4 letters), region (2 letters or 3 digits) or variant (5 to 8 "
    "letters and digits) where it stands";

/*
 * Classifies the subtag p[0..len) standing at *at, writing it in its usual
 * case to out; returns what is wrong with it, or NULL.
 */
static const char *
subtag(const char *p, size_t len, enum at *at, char *out)
{
	bool alpha = true, digits = true;
	for (size_t i = 0; i < len; i++) {
		alpha = alpha && is_alpha(p[i]);
		digits = digits && is_digit(p[i]);
		out[i] = lower(p[i]);
	}
	switch (*at) {
	case AT_LANGUAGE:
		if (!alpha || len < 2 || len > 3)
			return "is not a language (2 or 3 letters, as in ISO "
			       "639)";
		*at = AT_EXTLANG;
		return NULL;
	case AT_PRIVATE:
	case AT_PRIV_MORE:
		*at = AT_PRIV_MORE;
		return len > 8 ? "is longer than 8 letters and digits" : NULL;
	case AT_EXTENSION:
		if (len < 2)
			return "follows a singleton, but is not 2 to 8 letters "
			       "and digits";
		/* fall through */
	case AT_EXT_MORE:
		if (len == 1) {
			*at = out[0] == 'x' ? AT_PRIVATE : AT_EXTENSION;
			return NULL;
		}
		*at = AT_EXT_MORE;
		return len > 8 ? "is longer than 8 letters and digits" : NULL;
	default:
		break;
	}
	if (len == 1) {
		*at = out[0] == 'x' ? AT_PRIVATE : AT_EXTENSION;
	} else if (*at < AT_SCRIPT && alpha && len == 3) {
		*at = (enum at)(*at + 1);
	} else if (*at <= AT_SCRIPT && alpha && len == 4) {
		out[0] = upper(p[0]);
		*at = AT_REGION;
	} else if (*at <= AT_REGION &&
	           ((alpha && len == 2) || (digits && len == 3))) {
		for (size_t i = 0; i < len; i++)
			out[i] = upper(p[i]);
		*at = AT_VARIANT;
	} else if ((len >= 5 && len <= 8) || (len == 4 && is_digit(p[0]))) {
		*at = AT_VARIANT;
	} else {
		return bad_subtag;
	}
	return NULL;
}

const char *
lang_check(const char *tag, char *out, const char **bad, size_t *nbad)
{
	size_t n = strlen(tag);
	*bad = tag;
	*nbad = 0;
	if (n == 0)
		return "it is empty";
	if (n > LANG_TAG_MAX)
		return "it is longer than 63 characters";
	for (size_t i = 0; i < n; i++)
		if (!is_alpha(tag[i]) && !is_digit(tag[i]) && tag[i] != '-') {
			uint32_t cp;
			size_t k = utf8_decode(tag + i, n - i, &cp);
			*bad = tag + i;
			*nbad = k ? k : 1;
			return "is not a letter, digit or \"-\" (a tag is "
			       "ASCII)";
		}
	enum at at = AT_LANGUAGE;
	const char *single = NULL; /* the last singleton */
	for (size_t i = 0; i <= n;) {
		size_t j = i;
		while (j < n && tag[j] != '-')
			j++;
		*bad = tag + i;
		*nbad = j - i;
		if (j == i)
			return "it has an empty part (\"--\", or a \"-\" at an "
			       "end)";
		const char *why = subtag(tag + i, j - i, &at, out + i);
		if (why != NULL)
			return why;
		if (j - i == 1)
			single = tag + i;
		out[j] = '-';
		i = j + 1;
	}
	if (at == AT_EXTENSION || at == AT_PRIVATE) {
		*bad = single;
		*nbad = 1;
		return "is a singleton with nothing after it";
	}
	out[n] = '\0';
	return NULL;
}

struct script_range {
	uint32_t first, last;
	enum lang_script script;
};

/* Sorted, not overlapping; what is not here is SCRIPT_NONE. */
static const struct script_range scripts[] = {
    {0x0041, 0x005A, SCRIPT_LATIN},    {0x0061, 0x007A, SCRIPT_LATIN},
    {0x00AA, 0x00AA, SCRIPT_LATIN},    {0x00BA, 0x00BA, SCRIPT_LATIN},
    {0x00C0, 0x00D6, SCRIPT_LATIN},    {0x00D8, 0x00F6, SCRIPT_LATIN},
    {0x00F8, 0x02AF, SCRIPT_LATIN},    {0x0300, 0x036F, SCRIPT_MARK},
    {0x0370, 0x0373, SCRIPT_GREEK},    {0x0376, 0x0377, SCRIPT_GREEK},
    {0x037B, 0x037D, SCRIPT_GREEK},    {0x037F, 0x037F, SCRIPT_GREEK},
    {0x0386, 0x0386, SCRIPT_GREEK},    {0x0388, 0x03FF, SCRIPT_GREEK},
    {0x0400, 0x0481, SCRIPT_CYRILLIC}, {0x0483, 0x0489, SCRIPT_MARK},
    {0x048A, 0x052F, SCRIPT_CYRILLIC}, {0x0531, 0x0556, SCRIPT_ARMENIAN},
    {0x0559, 0x0559, SCRIPT_ARMENIAN}, {0x0560, 0x0588, SCRIPT_ARMENIAN},
    {0x0591, 0x05F4, SCRIPT_HEBREW},   {0x0600, 0x06FF, SCRIPT_ARABIC},
    {0x0700, 0x074F, SCRIPT_RTL},      {0x0750, 0x077F, SCRIPT_ARABIC},
    {0x0780, 0x085F, SCRIPT_RTL},      {0x0860, 0x086F, SCRIPT_RTL},
    {0x0870, 0x08FF, SCRIPT_ARABIC},   {0x10A0, 0x10FA, SCRIPT_GEORGIAN},
    {0x10FC, 0x10FF, SCRIPT_GEORGIAN}, {0x1AB0, 0x1AFF, SCRIPT_MARK},
    {0x1C80, 0x1C8F, SCRIPT_CYRILLIC}, {0x1C90, 0x1CBF, SCRIPT_GEORGIAN},
    {0x1DC0, 0x1DFF, SCRIPT_MARK},     {0x1E00, 0x1EFF, SCRIPT_LATIN},
    {0x1F00, 0x1FBC, SCRIPT_GREEK},    {0x1FC2, 0x1FCC, SCRIPT_GREEK},
    {0x1FD0, 0x1FDB, SCRIPT_GREEK},    {0x1FE0, 0x1FEC, SCRIPT_GREEK},
    {0x1FF2, 0x1FFC, SCRIPT_GREEK},    {0x20D0, 0x20FF, SCRIPT_MARK},
    {0x2C60, 0x2C7F, SCRIPT_LATIN},    {0x2D00, 0x2D2F, SCRIPT_GEORGIAN},
    {0x2DE0, 0x2DFF, SCRIPT_MARK},     {0xA640, 0xA66E, SCRIPT_CYRILLIC},
    {0xA66F, 0xA67D, SCRIPT_MARK},     {0xA67E, 0xA69D, SCRIPT_CYRILLIC},
    {0xA69E, 0xA69F, SCRIPT_MARK},     {0xA720, 0xA7FF, SCRIPT_LATIN},
    {0xAB30, 0xAB6F, SCRIPT_LATIN},    {0xFB00, 0xFB06, SCRIPT_LATIN},
    {0xFB13, 0xFB17, SCRIPT_ARMENIAN}, {0xFB1D, 0xFB4F, SCRIPT_HEBREW},
    {0xFB50, 0xFDFF, SCRIPT_ARABIC},   {0xFE20, 0xFE2F, SCRIPT_MARK},
    {0xFE70, 0xFEFC, SCRIPT_ARABIC},   {0xFF21, 0xFF3A, SCRIPT_LATIN},
    {0xFF41, 0xFF5A, SCRIPT_LATIN},    {0x10800, 0x10FFF, SCRIPT_RTL},
    {0x1E800, 0x1E95F, SCRIPT_RTL},    {0x1EE00, 0x1EEFF, SCRIPT_ARABIC},
};

enum lang_script
lang_script(uint32_t cp)
{
	if (cp < 0x80)
		return is_alpha((char)cp) ? SCRIPT_LATIN : SCRIPT_NONE;
	size_t lo = 0, hi = sizeof scripts / sizeof scripts[0];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < scripts[mid].first)
			hi = mid;
		else if (cp > scripts[mid].last)
			lo = mid + 1;
		else
			return scripts[mid].script;
	}
	return SCRIPT_NONE;
}

bool
lang_script_is_rtl(enum lang_script s)
{
	return s == SCRIPT_ARABIC || s == SCRIPT_HEBREW || s == SCRIPT_RTL;
}

/* Lower case in the Latin Extended-A and Cyrillic blocks where capitals
 * and small letters alternate: whether cp is the capital of a pair. */
static bool
pair_capital(uint32_t cp)
{
	if (cp >= 0x100 && cp <= 0x137)
		return cp % 2 == 0 && cp != 0x130;
	if (cp >= 0x139 && cp <= 0x148)
		return cp % 2 == 1;
	if (cp >= 0x14A && cp <= 0x177)
		return cp % 2 == 0;
	if (cp >= 0x179 && cp <= 0x17E)
		return cp % 2 == 1;
	if ((cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) ||
	    (cp >= 0x4D0 && cp <= 0x52F))
		return cp % 2 == 0;
	if (cp >= 0x4C1 && cp <= 0x4CE)
		return cp % 2 == 1;
	return false;
}

uint32_t
lang_lower(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp | 0x20 : cp;
	if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
	    (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) ||
	    (cp >= 0x410 && cp <= 0x42F))
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 0x50;
	if (pair_capital(cp))
		return cp + 1;
	switch (cp) {
	case 0x130:
		return 'i';
	case 0x178:
		return 0xFF;
	case 0x386:
		return 0x3AC;
	case 0x388:
		return 0x3AD;
	case 0x389:
		return 0x3AE;
	case 0x38A:
		return 0x3AF;
	case 0x38C:
		return 0x3CC;
	case 0x38E:
		return 0x3CD;
	case 0x38F:
		return 0x3CE;
	case 0x4C0:
		return 0x4CF;
	default:
		return cp;
	}
}

struct lang_script_name {
	const char *name;
	enum lang_script script;
};

/* Script subtags (ISO 15924) of the scripts in enum lang_script. */
static const struct lang_script_name script_names[] = {
    {"Latn", SCRIPT_LATIN},    {"Grek", SCRIPT_GREEK},
    {"Cyrl", SCRIPT_CYRILLIC}, {"Armn", SCRIPT_ARMENIAN},
    {"Geor", SCRIPT_GEORGIAN}, {"Arab", SCRIPT_ARABIC},
    {"Hebr", SCRIPT_HEBREW},   {"Syrc", SCRIPT_RTL},
    {"Thaa", SCRIPT_RTL},      {"Nkoo", SCRIPT_RTL},
    {"Samr", SCRIPT_RTL},      {"Mand", SCRIPT_RTL},
    {"Adlm", SCRIPT_RTL},      {"Rohg", SCRIPT_RTL},
};

/* Languages not usually written in the Latin script; the rest are. */
static const struct lang_script_name lang_scripts[] = {
    {"ab", SCRIPT_CYRILLIC},
    {"am", SCRIPT_NONE},
    {"ar", SCRIPT_ARABIC},
    {"as", SCRIPT_NONE},
    {"av", SCRIPT_CYRILLIC},
    {"ba", SCRIPT_CYRILLIC},
    {"be", SCRIPT_CYRILLIC},
    {"bg", SCRIPT_CYRILLIC},
    {"bn", SCRIPT_NONE},
    {"bo", SCRIPT_NONE},
    {"ce", SCRIPT_CYRILLIC},
    {"ckb", SCRIPT_ARABIC},
    {"cv", SCRIPT_CYRILLIC},
    {"dv", SCRIPT_RTL},
    {"dz", SCRIPT_NONE},
    {"el", SCRIPT_GREEK},
    {"fa", SCRIPT_ARABIC},
    {"grc", SCRIPT_GREEK},
    {"gu", SCRIPT_NONE},
    {"he", SCRIPT_HEBREW},
    {"hi", SCRIPT_NONE},
    {"hy", SCRIPT_ARMENIAN},
    {"iu", SCRIPT_NONE},
    {"iw", SCRIPT_HEBREW},
    {"ja", SCRIPT_NONE},
    {"ka", SCRIPT_GEORGIAN},
    {"kk", SCRIPT_CYRILLIC},
    {"km", SCRIPT_NONE},
    {"kn", SCRIPT_NONE},
    {"ko", SCRIPT_NONE},
    {"ks", SCRIPT_ARABIC},
    {"kv", SCRIPT_CYRILLIC},
    {"ky", SCRIPT_CYRILLIC},
    {"lo", SCRIPT_NONE},
    {"mk", SCRIPT_CYRILLIC},
    {"ml", SCRIPT_NONE},
    {"mn", SCRIPT_CYRILLIC},
    {"mr", SCRIPT_NONE},
    {"my", SCRIPT_NONE},
    {"ne", SCRIPT_NONE},
    {"nqo", SCRIPT_RTL},
    {"or", SCRIPT_NONE},
    {"os", SCRIPT_CYRILLIC},
    {"pa", SCRIPT_NONE},
    {"ps", SCRIPT_ARABIC},
    {"ru", SCRIPT_CYRILLIC},
    {"sah", SCRIPT_CYRILLIC},
    {"sd", SCRIPT_ARABIC},
    {"si", SCRIPT_NONE},
    {"sr", SCRIPT_CYRILLIC},
    {"syr", SCRIPT_RTL},
    {"ta", SCRIPT_NONE},
    {"te", SCRIPT_NONE},
    {"tg", SCRIPT_CYRILLIC},
    {"th", SCRIPT_NONE},
    {"tt", SCRIPT_CYRILLIC},
    {"udm", SCRIPT_CYRILLIC},
    {"ug", SCRIPT_ARABIC},
    {"uk", SCRIPT_CYRILLIC},
    {"ur", SCRIPT_ARABIC},
    {"yi", SCRIPT_HEBREW},
    {"zh", SCRIPT_NONE},
    /* Chinese and Arabic varieties with codes of their own. */
    {"cmn", SCRIPT_NONE},
    {"yue", SCRIPT_NONE},
    {"wuu", SCRIPT_NONE},
    {"hak", SCRIPT_NONE},
    {"nan", SCRIPT_NONE},
    {"gan", SCRIPT_NONE},
    {"hsn", SCRIPT_NONE},
    {"cdo", SCRIPT_NONE},
    {"cjy", SCRIPT_NONE},
    {"lzh", SCRIPT_NONE},
    {"apc", SCRIPT_ARABIC},
    {"arz", SCRIPT_ARABIC},
    {"ary", SCRIPT_ARABIC},
    {"acm", SCRIPT_ARABIC},
    {"ajp", SCRIPT_ARABIC},
    {"aeb", SCRIPT_ARABIC},
    {"arb", SCRIPT_ARABIC},
    {"prs", SCRIPT_ARABIC},
    {"pes", SCRIPT_ARABIC},
};

enum lang_script
lang_tag_script(const char *tag)
{
	size_t n = strcspn(tag, "-");
	const char *sub = tag + n;
	/* Past extended languages ("zh-yue-Hant"): 3 letters each. */
	while (sub[0] == '-' && strcspn(sub + 1, "-") == 3 && is_alpha(sub[1]))
		sub += 4;
	if (sub[0] == '-' && strcspn(sub + 1, "-") == 4) {
		for (size_t i = 0;
		     i < sizeof script_names / sizeof *script_names; i++)
			if (strncmp(sub + 1, script_names[i].name, 4) == 0)
				return script_names[i].script;
		if (is_alpha(sub[1]) && is_alpha(sub[4]))
			return SCRIPT_NONE; /* another script */
	}
	for (size_t i = 0; i < sizeof lang_scripts / sizeof *lang_scripts; i++)
		if (strlen(lang_scripts[i].name) == n &&
		    strncmp(tag, lang_scripts[i].name, n) == 0)
			return lang_scripts[i].script;
	return SCRIPT_LATIN;
}

const char *
lang_of_script(enum lang_script s, const char *doc_lang)
{
	static const char *const usual[SCRIPT__MAX] = {
	    [SCRIPT_LATIN] = "en",
	    [SCRIPT_GREEK] = "el",
	    [SCRIPT_CYRILLIC] = "ru",
	};
	if (doc_lang == NULL)
		doc_lang = "en";
	if (usual[s] == NULL)
		return NULL;
	return lang_tag_script(doc_lang) == s ? doc_lang : usual[s];
}

const char *
lang_of_text(const char *s, size_t len, const char *tag)
{
	static const char *const usual[SCRIPT__MAX] = {
	    [SCRIPT_LATIN] = "en",    [SCRIPT_GREEK] = "el",
	    [SCRIPT_CYRILLIC] = "ru", [SCRIPT_ARMENIAN] = "hy",
	    [SCRIPT_GEORGIAN] = "ka", [SCRIPT_ARABIC] = "ar",
	    [SCRIPT_HEBREW] = "he",
	};
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (k == 0)
			return tag;
		enum lang_script sc = lang_script(cp);
		if (sc == SCRIPT_NONE || sc == SCRIPT_MARK) {
			i += k;
			continue;
		}
		if (tag != NULL && lang_tag_script(tag) == sc)
			return tag;
		return usual[sc];
	}
	return tag;
}

/*
 * The small words of each language, in lower case: articles,
 * prepositions, conjunctions and possessives.  A phrase ending on one
 * reads as cut off ("the call of", "l'appel de", "звонок между").  Arabic
 * and Hebrew write most of theirs as prefixes of the next word; these
 * are the ones written apart.
 */
/* The English words Chicago sets in lower case inside a headline-style
 * title (17th ed., 8.159): articles, prepositions, coordinating
 * conjunctions, "to" and "as"; then English's other small words. */
static const char *const minor_en[] = {
    "a",          "an",      "the",    "and",    "but",     "for",
    "or",         "nor",     "as",     "to",     "of",      "in",
    "on",         "at",      "by",     "from",   "with",    "into",
    "onto",       "over",    "upon",   "via",    "per",     "about",
    "after",      "against", "among",  "before", "between", "during",
    "through",    "under",   "until",  "within", "without", "off",
    "up",         "amid",    "amidst", "toward", "towards", "despite",
    "throughout", "versus",  "unlike", NULL};
static const char *const small_en[] = {
    "this",    "that",       "its",       "his",    "her",    "their",
    "since",   "across",     "along",     "around", "behind", "below",
    "beneath", "beside",     "beyond",    "inside", "near",   "outside",
    "past",    "concerning", "regarding", "than",   NULL};
static const char *const small_fr[] = {
    "le",    "la",  "les",  "un",   "une",  "des",   "du",    "de",   "au",
    "aux",   "à",   "a",    "en",   "et",   "ou",    "où",    "sur",  "sous",
    "pour",  "par", "avec", "dans", "chez", "vers",  "entre", "sans", "contre",
    "selon", "son", "sa",   "ses",  "leur", "leurs", "ce",    "cet",  "cette",
    "ces",   "que", "qui",  "dont", "mais", "ni",    "car",   NULL};
static const char *const small_de[] = {
    "der",   "die",   "das",    "den",   "dem",  "des",   "ein",  "eine",
    "einen", "einem", "einer",  "eines", "und",  "oder",  "aber", "von",
    "vom",   "zu",    "zum",    "zur",   "mit",  "im",    "in",   "am",
    "an",    "auf",   "aus",    "bei",   "beim", "für",   "über", "unter",
    "nach",  "vor",   "durch",  "gegen", "ohne", "um",    "bis",  "seit",
    "sein",  "seine", "seiner", "ihr",   "ihre", "ihrer", "als",  "wie",
    "dass",  NULL};
static const char *const small_ru[] = {
    "и",     "в",      "во",    "на",     "с",      "со",     "к",
    "ко",    "о",      "об",    "обо",    "от",     "по",     "из",
    "за",    "до",     "для",   "без",    "при",    "про",    "над",
    "под",   "у",      "а",     "но",     "или",    "что",    "как",
    "его",   "её",     "ее",    "их",     "это",    "этот",   "эта",
    "эти",   "между",  "после", "перед",  "против", "через",  "относительно",
    "около", "вокруг", "среди", "вместо", "кроме",  "насчёт", "насчет",
    "ради",  "из-за",  NULL};
static const char *const small_uk[] = {
    "і",     "й",       "та",    "в",     "у",      "на",    "з",    "із",
    "зі",    "до",      "від",   "для",   "без",    "при",   "про",  "над",
    "під",   "по",      "о",     "об",    "а",      "але",   "чи",   "або",
    "що",    "як",      "його",  "її",    "їх",     "це",    "цей",  "ця",
    "ці",    "між",     "після", "перед", "проти",  "через", "щодо", "навколо",
    "серед", "замість", "крім",  "біля",  "заради", NULL};
static const char *const small_el[] = {
    "ο",    "η",    "το",    "οι",    "τα",   "του",  "της", "των",
    "τον",  "την",  "τους",  "τις",   "ένα",  "ένας", "μια", "μία",
    "ενός", "μιας", "και",   "ή",     "σε",   "στο",  "στη", "στην",
    "στον", "στα",  "στους", "στις",  "στων", "με",   "για", "από",
    "προς", "κατά", "μετά",  "χωρίς", "ως",   NULL};
static const char *const small_ar[] = {
    "في",  "من",  "على", "إلى", "الى", "عن",  "مع",  "و",   "أو",
    "ثم",  "أن",  "إن",  "هذا", "هذه", "ذلك", "تلك", "بين", "حول",
    "بعد", "قبل", "ضد",  "لدى", "عند", "حتى", "منذ", NULL};
static const char *const small_he[] = {
    "של",  "על",  "עם",  "את",   "אל",   "או",  "כי",  "גם", "אם", "זה", "זו",
    "זאת", "אשר", "בין", "לפני", "אחרי", "נגד", "מול", "עד", "מן", NULL};

static const struct {
	const char *lang;
	const char *const *words, *const *more;
} small_words[] = {
    {"en", minor_en, small_en}, {"fr", small_fr, NULL}, {"de", small_de, NULL},
    {"ru", small_ru, NULL},     {"uk", small_uk, NULL}, {"el", small_el, NULL},
    {"ar", small_ar, NULL},     {"he", small_he, NULL},
};

bool
lang_small_word(const char *tag, const char *w, size_t n, bool capital)
{
	if (tag == NULL || n == 0)
		return false;
	size_t sub = strcspn(tag, "-");
	const char *const *lists[2] = {NULL, NULL};
	for (size_t i = 0; i < sizeof small_words / sizeof *small_words; i++)
		if (strlen(small_words[i].lang) == sub &&
		    strncmp(tag, small_words[i].lang, sub) == 0) {
			lists[0] = small_words[i].words;
			lists[1] = small_words[i].more;
		}
	/* In lower case when capitals are allowed ("Of", "OF"), skipping
	 * Hebrew points and Arabic vowels (the lists have none); none of
	 * the lists' words is this long. */
	char low[64];
	size_t m = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_decode(w + i, n - i, &cp);
		if (k == 0 || m + 4 > sizeof low)
			return false;
		i += k;
		if ((cp >= 0x591 && cp <= 0x5C7 && cp != 0x5BE && cp != 0x5C0 &&
		     cp != 0x5C3 && cp != 0x5C6) ||
		    (cp >= 0x64B && cp <= 0x65F) || cp == 0x670)
			continue;
		m += utf8_encode(capital ? lang_lower(cp) : cp, low + m);
	}
	for (int l = 0; l < 2; l++)
		for (const char *const *k = lists[l]; k != NULL && *k != NULL;
		     k++)
			if (strlen(*k) == m && memcmp(*k, low, m) == 0)
				return true;
	return false;
}

bool
lang_minor_word(const char *w, size_t n)
{
	for (const char *const *k = minor_en; *k != NULL; k++) {
		bool same = strlen(*k) == n;
		for (size_t i = 0; i < n && same; i++)
			same = lower(w[i]) == (*k)[i];
		if (same)
			return true;
	}
	return false;
}

bool
lang_geresh(const char *s, size_t len, size_t at, size_t k)
{
	/* The letter before, past its points. */
	size_t i = at, n;
	enum lang_script before = SCRIPT_NONE;
	uint32_t cp;
	while ((n = utf8_decode_before(s, i, &cp)) > 0) {
		before = lang_script(cp);
		if (before != SCRIPT_MARK)
			break;
		i -= n;
	}
	if (before != SCRIPT_HEBREW)
		return false;
	/* A single mark after a Hebrew letter is a geresh (ג'ורג', פרופ'). */
	if (s[at] == '\'' || (k == 3 && (unsigned char)s[at + 2] <= 0x99))
		return true;
	/* A double one: one letter after it, its points, and the word's
	 * end: ב"הארץ is a quotation after a prefix. */
	size_t j = at + k;
	uint32_t next;
	if (j >= len || (n = utf8_decode(s + j, len - j, &next)) == 0 ||
	    lang_script(next) != SCRIPT_HEBREW)
		return false;
	for (j += n; j < len; j += n) {
		if ((n = utf8_decode(s + j, len - j, &next)) == 0)
			return true;
		enum lang_script sc = lang_script(next);
		if (sc != SCRIPT_MARK)
			return sc == SCRIPT_NONE;
	}
	return true;
}

const char *
lang_cyrillic(const char *s, size_t len)
{
	bool uk = false, ru = false;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (k == 0)
			break;
		i += k;
		switch (cp) {
		case 0x040E: /* Ў */
		case 0x045E: /* ў */
			return "be";
		case 0x0404: /* Є */
		case 0x0406: /* І */
		case 0x0407: /* Ї */
		case 0x0454: /* є */
		case 0x0456: /* і */
		case 0x0457: /* ї */
		case 0x0490: /* Ґ */
		case 0x0491: /* ґ */
			uk = true;
			break;
		case 0x0401: /* Ё */
		case 0x042B: /* Ы */
		case 0x042D: /* Э */
		case 0x044B: /* ы */
		case 0x044D: /* э */
		case 0x0451: /* ё */
			ru = true;
			break;
		default:
			break;
		}
	}
	return uk && !ru ? "uk" : ru && !uk ? "ru" : NULL;
}

/* Whether cp is a letter Hebrew writes as a prefix: ב ה ו כ ל מ ש. */
static bool
hebrew_prefix(uint32_t cp)
{
	switch (cp) {
	case 0x05D1:
	case 0x05D4:
	case 0x05D5:
	case 0x05DB:
	case 0x05DC:
	case 0x05DE:
	case 0x05E9:
		return true;
	default:
		return false;
	}
}

bool
lang_after_prefix(const char *s, size_t len, size_t at, size_t k)
{
	/* One or two prefix letters (ב, וב), at the start or after a space
	 * or an opening bracket. */
	uint32_t cp;
	size_t b = at;
	for (int n = 0; n < 2; n++) {
		if (b < 2 || utf8_decode(s + b - 2, 2, &cp) != 2 ||
		    !hebrew_prefix(cp))
			break;
		b -= 2;
		if (b == 0 || strchr(" ([", s[b - 1]) != NULL)
			return at + k < len &&
			       utf8_decode(s + at + k, len - at - k, &cp) > 0 &&
			       lang_script(cp) == SCRIPT_HEBREW;
	}
	return false;
}
