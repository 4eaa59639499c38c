/*
 * Templates (tmpl.h): the names of the faces, as the template's "fonts"
 * mapping and every message spell them; the words the briefing prints,
 * with their English defaults, and the filling of their placeholders.
 */
#include "tmpl.h"

#include <assert.h>
#include <stdarg.h>
#include <string.h>

#include "base/buf.h"

const char *const tmpl_section_names[SECTION__MAX] = {
    [SECTION_SUMMARY] = "summary",   [SECTION_CONTEXT] = "context",
    [SECTION_READOUTS] = "readouts", [SECTION_PRECONDITIONS] = "preconditions",
    [SECTION_BREACHES] = "breaches", [SECTION_SOURCES] = "sources",
    [SECTION_CONTENTS] = "contents", [SECTION_CHANGES] = "changes",
    [SECTION_DISTRIBUTION] = NULL, /* composed with --copies only */
};

const char *const tmpl_face_names[FACE__MAX] = {
    [FACE_SERIF] = "serif",
    [FACE_SERIF_BOLD] = "serif_bold",
    [FACE_SERIF_ITALIC] = "serif_italic",
    [FACE_SANS] = "sans",
    [FACE_SANS_BOLD] = "sans_bold",
};

/* The words the briefing prints, in English: README, "Templates", lists
 * each key with its default and placeholders. */
const struct tmpl_str_def tmpl_str_defs[STR__MAX] = {
    [STR_AS_OF_LINE] = {"as_of_line", "As of {as_of}", "as_of", ""},
    [STR_EDITION_LINE] = {"edition_line",
                          "Edition {edition} · Prepared by {prepared_by}",
                          "edition prepared_by", ""},
    [STR_CLASSIFICATION_LINE] = {"classification_line",
                                 "Classification: {classification}",
                                 "classification", ""},
    [STR_DATE] = {"date", "{day} {month} {year}", "year", "day dd month mm"},
    [STR_DATE_FIRST] = {"date_first", "{day} {month} {year}", "year",
                        "day dd month mm"},
    [STR_DATE_TIME] = {"date_time", "{date}, {time} {zone}", "date",
                       "time hour minute zone"},
    [STR_ONE_SIDE] = {"one_side", " [one side’s assertion]", "", ""},
    [STR_ANONYMOUS] = {"anonymous", " [anonymous report]", "", ""},
    [STR_QUOTE] = {"quote", "“{text}”", "text", ""},
    [STR_EMPTY_CELL] = {"empty_cell", "\u2014", "", ""},
    [STR_NOTHING_RECORDED] = {"nothing_recorded",
                              "Nothing is recorded for this section.", "", ""},
    [STR_HEAD_DATE] = {"head_date", "Date", "", ""},
    [STR_HEAD_EVENT] = {"head_event", "Event", "", ""},
    [STR_CALL_TITLE] = {"call_title", "{kind} of {date}", "date", "kind"},
    [STR_CALL_TITLE_PARTIES] = {"call_title_parties",
                                "{kind} of {date}: {parties}", "date parties",
                                "kind"},
    [STR_KIND_CALL] = {"kind_call", "Call", "", ""},
    [STR_KIND_PHONE] = {"kind_phone_call", "Phone call", "", ""},
    [STR_KIND_VIDEO] = {"kind_video_call", "Video call", "", ""},
    [STR_KIND_MEETING] = {"kind_meeting", "Meeting", "", ""},
    [STR_KIND_LETTER] = {"kind_letter", "Letter", "", ""},
    [STR_PLACE] = {"place", "Place: {place}.", "place", ""},
    [STR_AND] = {"and", " and ", "", ""},
    [STR_DURATION] = {"duration", "Duration: {duration}.", "duration", ""},
    [STR_TIME] = {"time", "Time: {time}.", "time", ""},
    [STR_READOUT_HEAD] = {"readout_head", "{party}: {issuer} readout", "party",
                          "issuer"},
    [STR_DIVERGENCES] = {"divergences", "Where the readouts diverge", "", ""},
    [STR_TIMELINE] = {"timeline", "Timeline", "", ""},
    [STR_HEAD_TOPIC] = {"head_topic", "Topic", "", ""},
    [STR_NO_POSITION] = {"no_position", "No position reported.", "", ""},
    [STR_HEAD_PARTY] = {"head_party", "Party", "", ""},
    [STR_HEAD_DEMAND] = {"head_demand", "Demand or condition", "", ""},
    [STR_HEAD_WHEN] = {"head_when", "When", "", ""},
    [STR_HEAD_STATUS] = {"head_status", "Status", "", ""},
    [STR_HEAD_ALLEGED] = {"head_alleged", "Alleged by / against", "", ""},
    [STR_HEAD_CLAIM] = {"head_claim", "Claim", "", ""},
    [STR_HEAD_RESPONSES] = {"head_responses", "Responses", "", ""},
    [STR_AGAINST] = {"against", "{accuser} against {accused}",
                     "accuser accused", ""},
    [STR_REPORTED_AGAINST] = {"reported_against",
                              "Reported by {source}, against {accused}",
                              "source accused", ""},
    [STR_RESPONSE_BY] = {"response_by", "{party}: ", "party", ""},
    [STR_NO_RESPONSE] = {"no_response", "No response reported.", "", ""},
    [STR_STATUS_STATED] = {"status_stated", "stated", "", ""},
    [STR_STATUS_MET] = {"status_met", "met", "", ""},
    [STR_STATUS_UNMET] = {"status_unmet", "unmet", "", ""},
    [STR_STATUS_REJECTED] = {"status_rejected", "rejected", "", ""},
    [STR_STATUS_OPEN] = {"status_open", "open", "", ""},
    [STR_STATUS_CONFIRMED] = {"status_confirmed", "confirmed", "", ""},
    [STR_STATUS_DISPUTED] = {"status_disputed", "disputed", "", ""},
    [STR_STATUS_DENIED] = {"status_denied", "denied", "", ""},
    [STR_STATUS_UNVERIFIED] = {"status_unverified", "unverified", "", ""},
    [STR_ARCHIVED] = {"archived", "Archived copy: {path}. ", "path", ""},
    [STR_GRADE] = {"grade", "Grade {grade}: {reliability}, {credibility}. ",
                   "grade", "reliability credibility"},
    [STR_NOT_GRADED] = {"not_graded", "Not graded. ", "", ""},
    [STR_NOT_CITED] = {"not_cited", "Not cited.", "", ""},
    [STR_CITED_P] = {"cited_p", "Cited on p.\u00a0", "", ""},
    [STR_CITED_PP] = {"cited_pp", "Cited on pp.\u00a0", "", ""},
    [STR_NOTE_TITLE] = {"note_title", "“{title}”", "title", ""},
    [STR_NO_DATE] = {"no_date", "n.d.", "", ""},
    [STR_ACCESSED] = {"accessed", "accessed {date}", "date", ""},
    [STR_VIA] = {"via", "via {via}", "via", ""},
    [STR_NOTE_QUOTE] = {"note_quote", ": “{text}”", "text", ""},
    [STR_NOTE_FIRST] = {"note_first", " (n. {n})", "n", ""},
    [STR_NOTE_CONTINUED] = {"note_continued", "Note {n}, continued", "n", ""},
    [STR_NOTE_AGAIN] = {"note_again", "See note {n}.", "n", ""},
    [STR_FIGURE] = {"figure", "Figure {n}.", "n", ""},
    [STR_FIGURES_TITLE] = {"figures_title", "Figures", "", ""},
    [STR_CHART_CAPTION] = {"chart_caption",
                           "Breaches alleged, by date and by the party "
                           "alleging them",
                           "", ""},
    [STR_CHART_UNDATED] = {"chart_undated", "Undated", "", ""},
    [STR_CHART_SOURCES] = {"chart_sources",
                           "The {n} sources of the claims it counts, each "
                           "in the notes to the table of breaches.",
                           "n", ""},
    [STR_NO_CHANGES] = {"no_changes", "No fact changed since edition {n}.", "",
                        "n"},
    [STR_CHANGE_ADDED] = {"change_added", "Added {kind}: ", "", "kind"},
    [STR_CHANGE_REMOVED] = {"change_removed", "Removed {kind}: ", "", "kind"},
    [STR_CHANGE_STATUS] = {"change_status", "Status changed {kind}: ", "",
                           "kind"},
    [STR_CHANGE_CHANGED] = {"change_changed", "Changed {kind}: ", "", "kind"},
    [STR_CHANGE_FROM_TO] = {"change_from_to", ", from {from} to {to}",
                            "from to", ""},
    [STR_CHANGE_WHAT] = {"change_what", " ({what})", "what", ""},
    [STR_CHANGED_TEXT] = {"changed_text", "wording revised", "", ""},
    [STR_CHANGED_QUOTE] = {"changed_quote", "quote revised", "", ""},
    [STR_CHANGED_SOURCES] = {"changed_sources", "sources revised", "", ""},
    [STR_CHANGED_WHEN] = {"changed_when", "date changed from {from} to {to}",
                          "from to", ""},
    [STR_CHANGED_OTHER] = {"changed_other", "details revised", "", ""},
    [STR_CHANGE_P] = {"change_p", ", p.\u00a0", "", ""},
    [STR_CHANGE_PP] = {"change_pp", ", pp.\u00a0", "", ""},
    [STR_FACT_EVENT] = {"fact_event", "event", "", ""},
    [STR_FACT_READOUT_POINT] = {"fact_readout_point", "readout point", "", ""},
    [STR_FACT_DIVERGENCE] = {"fact_divergence", "divergence", "", ""},
    [STR_FACT_PRECONDITION] = {"fact_precondition", "precondition", "", ""},
    [STR_FACT_BREACH] = {"fact_breach", "breach", "", ""},
    [STR_FACT_SOURCE] = {"fact_source", "source", "", ""},
    [STR_FACT_COMMENTARY] = {"fact_commentary", "commentary in {section}", "",
                             "section"},
    [STR_DISTRIBUTION_TITLE] = {"distribution_title",
                                "Distribution list (annex)", "", ""},
    [STR_DISTRIBUTION_INTRO] = {"distribution_intro",
                                "{n} numbered copies were made from this "
                                "master, each marked with its number and "
                                "recipient:",
                                "n", ""},
    [STR_DISTRIBUTION_INTRO_ONE] = {"distribution_intro_one",
                                    "{n} numbered copy was made from this "
                                    "master, each marked with its number "
                                    "and recipient:",
                                    "", "n"},
    [STR_HEAD_COPY] = {"head_copy", "Copy", "", ""},
    [STR_HEAD_RECIPIENT] = {"head_recipient", "Recipient", "", ""},
    [STR_HEAD_ORGANISATION] = {"head_organisation", "Organisation", "", ""},
    [STR_HEAD_FILE] = {"head_file", "File", "", ""},
    [STR_COPY_LABEL] = {"copy_label", "Copy {n} of {copies} — {name}", "n",
                        "copies name"},
    [STR_COPY_WATERMARK] = {"copy_watermark", "COPY {n} — {name}", "n", "name"},
    [STR_BLANK_PAGE] = {"blank_page", "This page intentionally left blank", "",
                        ""},
};

static const char *const months_en[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};
/* The NATO (Admiralty) grading of sources and of what they report. */
static const char *const reliability_en[6] = {
    "completely reliable",  "usually reliable", "fairly reliable",
    "not usually reliable", "unreliable",       "reliability cannot be judged",
};
static const char *const credibility_en[6] = {
    "confirmed by other sources",
    "probably true",
    "possibly true",
    "doubtful",
    "improbable",
    "truth cannot be judged",
};

const struct tmpl_list_def tmpl_list_defs[LIST__MAX] = {
    [LIST_MONTHS] = {"months", 12, months_en},
    [LIST_GRADE_RELIABILITY] = {"grade_reliability", 6, reliability_en},
    [LIST_GRADE_CREDIBILITY] = {"grade_credibility", 6, credibility_en},
};

const char *
tmpl_str(const struct tmpl *t, enum tmpl_str id)
{
	assert(id < STR__MAX);
	return t->str[id] ? t->str[id] : tmpl_str_defs[id].def;
}

const char *
tmpl_list(const struct tmpl *t, enum tmpl_list id, int i)
{
	assert(id < LIST__MAX && i >= 0 && i < tmpl_list_defs[id].n);
	return t->lists[id] ? t->lists[id][i] : tmpl_list_defs[id].def[i];
}

const char tmpl_furniture_names[] =
    "title subtitle classification as_of date edition prepared_by "
    "short_title section page pages";

const char *
tmpl_placeholder(const char *s, const char **name, size_t *len)
{
	for (const char *p = strchr(s, '{'); p != NULL;
	     p = strchr(p + 1, '{')) {
		size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_");
		if (n > 0 && p[1 + n] == '}') {
			*name = p + 1;
			*len = n;
			return p;
		}
	}
	return NULL;
}

const char *
tmpl_fill(struct arena *a, const char *fmt, ...)
{
	struct buf b = {0};
	const char *s = fmt;
	const char *name;
	size_t len;
	for (const char *p; (p = tmpl_placeholder(s, &name, &len)) != NULL;
	     s = name + len + 1) {
		buf_add(&b, s, (size_t)(p - s));
		const char *val = NULL;
		va_list ap;
		va_start(ap, fmt);
		for (const char *k;
		     val == NULL && (k = va_arg(ap, const char *));) {
			const char *v = va_arg(ap, const char *);
			if (strlen(k) == len && memcmp(k, name, len) == 0)
				val = v ? v : "";
		}
		va_end(ap);
		buf_add(&b, val ? val : p, val ? strlen(val) : len + 2);
	}
	buf_puts(&b, s);
	const char *out = buf_finish(&b, a);
	buf_free(&b);
	return out;
}
