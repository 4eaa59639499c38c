# End-to-end tests, sourced by tests/run.sh (which defines ok, not_ok,
# check, $BRIEFING, $SAMPLE and $tmp).  Each test builds real PDFs and
# reads them back with poppler and MuPDF; every PDF written under $tmp is
# then read by all five readers once (tests/readers.sh).

# flat_text PDF: the PDF's text on one line, with end-of-line hyphens
# undone, as pdf-verify's --expect reads it.
flat_text() {
	pdftotext -enc UTF-8 "$1" - 2>/dev/null | tr '\n' ' ' | sed 's/- //g; s/  */ /g'
}
# has_texts PDF TEXT...: every TEXT is in the PDF's flat text.
has_texts() {
	ht_flat=$(flat_text "$1"); shift
	for ht in "$@"; do
		case $ht_flat in *"$ht"*) ;; *) echo "no \"$ht\""; return 1 ;; esac
	done
}

pdf=$tmp/sample.pdf

# --- layering -------------------------------------------------------------------
check "the layering of src/ holds (tests/arch.sh)" tests/arch.sh

# --- command line -----------------------------------------------------------
out=$("$BRIEFING" --help 2>&1); st=$?
if [ $st -eq 0 ] && printf '%s' "$out" | grep -q 'build FACTS.yaml -o OUT.pdf' &&
	printf '%s' "$out" | grep -q 'Exit status'; then ok "--help"
else not_ok "--help" "exit $st: $out"; fi

out=$("$BRIEFING" --version 2>&1); st=$?
if [ $st -eq 0 ] && printf '%s' "$out" | grep -Eq '^briefing [0-9]+\.[0-9]+'; then
	ok "--version"
else not_ok "--version" "exit $st: $out"; fi

usage_case() { # NAME EXPECTED-MESSAGE ARGS...
	name=$1 want=$2; shift 2
	out=$("$BRIEFING" "$@" 2>&1 >/dev/null); st=$?
	if [ $st -eq 2 ] && printf '%s\n' "$out" | head -1 | grep -qF "$want"; then
		ok "usage: $name"
	else not_ok "usage: $name" "exit $st: $out"; fi
}
usage_case "no command" "briefing: no command given"
usage_case "unknown command" 'briefing: unknown command "publish"' publish "$SAMPLE"
usage_case "build without -o" "briefing: build needs -o OUT.pdf" build "$SAMPLE"
usage_case "unknown option" 'briefing: unknown option "--colour"' build "$SAMPLE" --colour
usage_case "option without value" "briefing: option -o needs a value" build "$SAMPLE" -o
usage_case "no fact file" "briefing: no fact file given" check
usage_case "unknown --pdf-standard" \
	'briefing: --pdf-standard takes none, ua-1, a-2b or ua-1,a-2b, not "ua-2"' \
	build "$SAMPLE" -o "$tmp/std.pdf" --pdf-standard ua-2
usage_case "empty --pdf-standard" \
	'briefing: --pdf-standard takes none, ua-1, a-2b or ua-1,a-2b, not ""' \
	build "$SAMPLE" -o "$tmp/std.pdf" --pdf-standard=
# Every option README's table documents is in --help: a long one in its
# usage lines, a short one in its list.
usage_lines=$("$BRIEFING" --help 2>&1 | sed '/^$/q')
undocumented=$(grep -o '^| `-[-a-zA-Z]*' README.md | sed 's/^| `//' | sort -u |
	while read -r opt; do
		case "$opt" in
		--*) printf '%s' "$usage_lines" | grep -q -- "$opt" || printf '%s ' "$opt" ;;
		*) "$BRIEFING" --help | grep -q -- "^  $opt" || printf '%s ' "$opt" ;;
		esac
	done)
if [ -z "$undocumented" ]; then ok "--help shows every option README documents"
else not_ok "--help shows every option README documents" "missing: $undocumented"; fi
if "$BRIEFING" --help | grep -q -- '--pdf-standard STD ua-1,a-2b (the default)'; then
	ok "--help names --pdf-standard"
else not_ok "--help names --pdf-standard"; fi

# --- the sample briefing ------------------------------------------------------
"$BRIEFING" build "$SAMPLE" -o "$pdf" >"$tmp/build.out" 2>"$tmp/build.err"; st=$?
if [ $st -eq 0 ] && [ -s "$pdf" ] && [ ! -s "$tmp/build.err" ]; then
	ok "sample builds with no diagnostics"
else not_ok "sample builds with no diagnostics" "exit $st: $(cat "$tmp/build.err")"; fi

out=$("$BRIEFING" check "$SAMPLE" 2>&1); st=$?
if [ $st -eq 0 ] && [ "$out" = "$SAMPLE: ok; 0 of 94 quotes verified against archived copies" ]; then
	ok "check on the sample"
else not_ok "check on the sample" "exit $st: $out"; fi

# --- quotes against the archived articles -------------------------------------
if [ -d "$top/../shared/seeds" ]; then
	out=$("$BRIEFING" check "$SAMPLE" --archive-dir "$top/../shared/seeds" 2>&1); st=$?
	if [ $st -eq 0 ] && [ "$out" = "$SAMPLE: ok; 94 of 94 quotes verified against archived copies" ]; then
		ok "every quote of the sample is in its source article"
	else not_ok "every quote of the sample is in its source article" "exit $st: $out"; fi
fi
out=$("$BRIEFING" check tests/fixtures/quotes.yaml --archive-dir tests/fixtures/archive --verbose 2>&1); st=$?
want='tests/fixtures/quotes.yaml:46:16: note: quote not verified: source "radio" has no archive
tests/fixtures/quotes.yaml: ok; 2 of 3 quotes verified against archived copies'
if [ $st -eq 0 ] && [ "$out" = "$want" ]; then
	ok "quotes match across line breaks, quote marks, dashes, U+02BC and elisions"
else not_ok "quotes match across line breaks, quote marks, dashes, U+02BC and elisions" "exit $st: $out"; fi
out=$("$BRIEFING" check tests/fixtures/quotes-altered.yaml --archive-dir tests/fixtures/archive 2>&1); st=$?
want='tests/fixtures/quotes-altered.yaml:33:12: error: quote not found in the archived copy of source "harbour"
tests/fixtures/archive/harbour-report.txt:5:42: note: closest passage: "talks with the dockworkers’ union have ended without an agreement"'
if [ $st -eq 1 ] && [ "$out" = "$want" ]; then
	ok "an altered quote is an error showing the closest passage"
else not_ok "an altered quote is an error showing the closest passage" "exit $st: $out"; fi
# An archive of 10 MB: comparing the quote with all of it would take
# seconds, so the error comes without a closest passage, saying why.
mkdir -p "$tmp/bigarchive"
{ cat tests/fixtures/archive/harbour-report.txt
  yes 'The harbour was quiet on Tuesday and the cranes stood still.' | head -c 10000000; } \
	>"$tmp/bigarchive/harbour-report.txt"
out=$("$BRIEFING" check tests/fixtures/quotes-altered.yaml --archive-dir "$tmp/bigarchive" 2>&1); st=$?
want='tests/fixtures/quotes-altered.yaml:33:12: error: quote not found in the archived copy of source "harbour"
tests/fixtures/quotes-altered.yaml:33:12: note: closest passages are not looked for from here on: the failed quotes and their archives are too long to compare in time'
if [ $st -eq 1 ] && [ "$out" = "$want" ]; then
	ok "a quote failed against a huge archive is reported without a closest passage"
else not_ok "a quote failed against a huge archive is reported without a closest passage" "exit $st: $out"; fi
# 600 quotes that fail against a copy of 20 MB would read 12 GB: a run
# reads at most a few GB of archived text, and the quotes past that are
# warnings at their place, not errors, whatever the machine's speed.
mkdir -p "$tmp/manyquotes"
yes 'The harbour was quiet on Tuesday and the cranes stood still.' | head -c 20000000 \
	>"$tmp/manyquotes/copy.txt"
printf '%s\n' 'Text [@art].' >"$tmp/manyquotes/s.md"
python3 - "$tmp/manyquotes/f.yaml" <<'PY'
import sys
head = open("tests/fixtures/minimal.yaml").read().replace("summary: minimal.md", "summary: s.md")
head = head.replace("    url: https://example.org/article\n",
                    "    url: https://example.org/article\n    archive: copy.txt\n")
pre = head.index("preconditions:")
items = "".join("  - party: ru\n    demand: D%d.\n    quote: \"words not in the copy %d\"\n"
                "    status: stated\n    sources: [art]\n" % (k, k) for k in range(600))
open(sys.argv[1], "w").write(head[:pre] + "preconditions:\n" + items + head[head.index("breaches:"):])
PY
# The text output stops at 100 messages: JSON lists them all.
"$BRIEFING" check "$tmp/manyquotes/f.yaml" --format json >"$tmp/manyquotes/json" 2>&1; st=$?
python3 -c '
import json, sys
for d in json.load(open(sys.argv[1])):
    print("%s:%s:%s: %s: %s" % (d["file"], d["line"], d["column"], d["severity"], d["message"]))
' "$tmp/manyquotes/json" >"$tmp/manyquotes/out"
nerr=$(grep -c ': error: quote not found in the archived copy of source "art"$' "$tmp/manyquotes/out")
nwarn=$(grep -c ': warning: quote not checked against the archived copy of source "art"' "$tmp/manyquotes/out")
first=$(grep -m1 ': warning: quote not checked' "$tmp/manyquotes/out" | cut -d: -f2)
if [ $st -eq 1 ] && [ "$nerr" -ge 1 ] && [ "$nwarn" -ge 300 ] && [ $((nerr + nwarn)) -eq 600 ] &&
	sed -n "${first:-0}p" "$tmp/manyquotes/f.yaml" | grep -q '^    quote: "words not in the copy'; then
	ok "quotes are searched within a budget; the rest are warnings at their place ($nerr searched, $nwarn not)"
else not_ok "quotes are searched within a budget; the rest are warnings at their place" \
	"exit $st, $nerr errors, $nwarn warnings: $(head -5 "$tmp/manyquotes/out")"; fi
out=$("$BRIEFING" build tests/fixtures/quotes-altered.yaml --archive-dir tests/fixtures/archive -o "$tmp/q.pdf" 2>&1); st=$?
if [ $st -eq 1 ] && [ ! -e "$tmp/q.pdf" ]; then ok "build refuses a briefing with an altered quote"
else not_ok "build refuses a briefing with an altered quote" "exit $st: $out"; fi
# A locator the archived copy contradicts: check --locator-diff prints a
# diff of the fact file that corrects it, which patch applies; the fact
# file itself is left as it was.
mkdir -p "$tmp/locdiff"
cp tests/diag/locator-wrong.yaml tests/diag/locator-wrong.md "$tmp/locdiff/"
cp "$tmp/locdiff/locator-wrong.yaml" "$tmp/locdiff/before.yaml"
(cd "$tmp/locdiff" && "$BRIEFING" check locator-wrong.yaml --archive-dir "$top/tests/fixtures/archive" \
	--locator-diff >fix.diff 2>check.err); st=$?
if [ $st -eq 0 ] && cmp -s "$tmp/locdiff/locator-wrong.yaml" "$tmp/locdiff/before.yaml" &&
	grep -qx -- '-        locator: para. 2' "$tmp/locdiff/fix.diff" &&
	grep -qx -- '+        locator: paras. 2, 4' "$tmp/locdiff/fix.diff" &&
	(cd "$tmp/locdiff" && patch -s -p0 <fix.diff) &&
	(cd "$tmp/locdiff" && "$BRIEFING" check locator-wrong.yaml \
		--archive-dir "$top/tests/fixtures/archive" 2>&1) |
	grep -qx 'locator-wrong.yaml: ok; 2 of 3 quotes verified against archived copies'; then
	ok "check --locator-diff prints the corrected locator as a diff that patch applies"
else not_ok "check --locator-diff prints the corrected locator as a diff that patch applies" \
	"exit $st: $(cat "$tmp/locdiff/check.err" "$tmp/locdiff/fix.diff")"; fi
# A quote with no locator gets the paragraph it is in, in its note.
out=$("$BRIEFING" build tests/fixtures/quotes.yaml --archive-dir tests/fixtures/archive -o "$tmp/qloc.pdf" 2>&1); st=$?
if [ $st -eq 0 ] && pdftotext "$tmp/qloc.pdf" - | grep -qF '“Harbour Talks End,” para. 3.'; then
	ok "a quote without a locator gets the paragraph of the archived copy it is in"
else not_ok "a quote without a locator gets the paragraph of the archived copy it is in" "exit $st: $out"; fi
out=$("$BRIEFING" check tests/fixtures/quotes.yaml --archive-dir "$tmp/no-archives" 2>&1); st=$?
if [ $st -eq 1 ] && printf '%s' "$out" | grep -qF 'tests/fixtures/quotes.yaml:20:14: error: cannot open "'"$tmp"'/no-archives/harbour-report.txt": No such file or directory'; then
	ok "a missing archive under --archive-dir is an error at its name"
else not_ok "a missing archive under --archive-dir is an error at its name" "exit $st: $out"; fi
"$BRIEFING" check tests/fixtures/quotes-altered.yaml --archive-dir tests/fixtures/archive --format json >"$tmp/diag.json" 2>"$tmp/diag.err"; st=$?
if [ $st -eq 1 ] && [ ! -s "$tmp/diag.err" ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d[0] == {"file": "tests/fixtures/quotes-altered.yaml", "line": 33, "column": 12, "severity": "error", "message": "quote not found in the archived copy of source \"harbour\""}, d[0]
assert d[1]["severity"] == "note" and d[1]["line"] == 5, d[1]
' "$tmp/diag.json" 2>"$tmp/json.err"; then ok "--format json"
else not_ok "--format json" "exit $st: $(cat "$tmp/diag.err" "$tmp/json.err" "$tmp/diag.json")"; fi
# Control characters quoted from the input are escaped in both forms, and
# a file name that is not UTF-8 keeps the JSON valid.
: >"$tmp/json.err"
"$BRIEFING" check tests/hostile/control-chars.yaml --format json >"$tmp/ctl.json" 2>"$tmp/ctl.err"; st=$?
"$BRIEFING" check "$(printf 'no\377such\033.yaml')" --format json >"$tmp/ctl2.json" 2>>"$tmp/ctl.err"; st2=$?
"$BRIEFING" check a "$(printf 'b\033[2J')" >"$tmp/ctl.out" 2>&1
if [ $st -eq 1 ] && [ $st2 -eq 1 ] && [ ! -s "$tmp/ctl.err" ] &&
	! LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$tmp/ctl.json" "$tmp/ctl2.json" "$tmp/ctl.out" &&
	grep -qF 'briefing: unexpected argument "b\x1b[2J"' "$tmp/ctl.out" && python3 -c '
import json, sys
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
msgs = [m["message"] for m in d]
assert "unknown source \"art\\x1b[2J\\x1b[31m\" (not listed under \"sources\")" in msgs, msgs
assert "unknown party \"ru\\x7f\\u009b1m\" (not listed under \"parties\")" in msgs, msgs
d = json.loads(open(sys.argv[2], "rb").read().decode("utf-8"))
assert d[0]["file"] == "no\\xffsuch\\x1b.yaml", d
' "$tmp/ctl.json" "$tmp/ctl2.json" 2>"$tmp/json.err"; then ok "control characters in diagnostics are escaped, and the JSON stays valid"
else not_ok "control characters in diagnostics are escaped, and the JSON stays valid" "exit $st $st2: $(cat "$tmp/ctl.err" "$tmp/json.err" "$tmp/ctl.json" "$tmp/ctl2.json" "$tmp/ctl.out" | cat -v)"; fi
out=$("$BRIEFING" check "$SAMPLE" --format json 2>&1); st=$?
if [ $st -eq 0 ] && [ "$out" = "[]" ]; then ok "--format json with nothing to say prints []"
else not_ok "--format json with nothing to say prints []" "exit $st: $out"; fi


pdftotext -enc UTF-8 "$pdf" "$tmp/sample.txt" 2>/dev/null
flat=$tmp/sample.flat
tr '\n' ' ' <"$tmp/sample.txt" | sed 's/- //g; s/  */ /g' >"$flat"
for title in "Key points" "Context and timeline" "Call readouts" \
	"Preconditions" "Disputed breaches" "Sources"; do
	if grep -q "^$title\$" "$tmp/sample.txt"; then ok "section \"$title\""
	else not_ok "section \"$title\"" "no line reads \"$title\""; fi
done
for quote in "“energy and infrastructure”" "“energy infrastructure”" \
	"supported Vladimir Putin’s idea to organise hockey matches" \
	"Any attacks that happened last night would have happened before that order was given." \
	"seven of their drones were on their way" \
	"57 Ukrainian drones" "the right idea" "incredibly unlikely" \
	"Karoline Leavitt" "UNVERIFIED" "[one side’s assertion]" \
	"energy infrastructure" "Trumpʼs Conversation" \
	"Cited on pp. 1–8, 10–14" "Not graded."; do
	if grep -qF -- "$quote" "$flat"; then ok "sample text: $quote"
	else not_ok "sample text: $quote"; fi
done
# The notes README quotes "From the sample" are the sample's, as printed.
notes=$(awk '/From the sample:$/ { on = 1; next } on && /^> / { print substr($0, 3); seen = 1; next }
	on && seen { exit }' README.md | sed 's/<br>$//; s/\*//g')
missing=$(printf '%s\n' "$notes" |
	while IFS= read -r note; do grep -qF -- "$note" "$flat" || printf '%s\n' "$note"; done)
if [ -z "$missing" ] && [ -n "$notes" ]; then
	ok "README's notes from the sample are the sample's ($(printf '%s\n' "$notes" | wc -l) notes)"
else not_ok "README's notes from the sample are the sample's" "not in the sample: $missing"; fi
# Pages in a row are a range: no "Cited on" list names three in a row.
runs=$(grep -o 'Cited on pp\?\. [0-9–, ]*' "$flat" | tr -d ' ' | grep -o '[0-9]*,[0-9]*,[0-9]*' |
	awk -F, '$2 == $1 + 1 && $3 == $2 + 1' || true)
if [ -z "$runs" ] && grep -q 'Cited on pp\. [0-9]*–[0-9]*' "$flat"; then
	ok "the pages that cite a source are given as ranges"
else not_ok "the pages that cite a source are given as ranges" "$runs"; fi

pages=$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
if [ -n "$pages" ] && [ "$pages" -ge 5 ] && [ "$pages" -le 20 ]; then
	ok "sample page count ($pages) is between 5 and 20"
else not_ok "sample page count" "got '$pages'"; fi

# --timings: the five stages, the pages and notes built, the peak memory.
tline=$("$BRIEFING" build "$SAMPLE" -o "$tmp/timings.pdf" --timings 2>&1 >/dev/null)
tpages=$(pdfinfo "$tmp/timings.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
tpeak=$(printf '%s\n' "$tline" | sed -n 's/.*; peak \([0-9]*\)\.[0-9] MB$/\1/p')
if [ -n "$tpages" ] && printf '%s\n' "$tline" | grep -qxE "timings: load [0-9.]+ ms, check [0-9.]+ ms, compose [0-9.]+ ms, typeset [0-9.]+ ms, emit [0-9.]+ ms; $tpages pages, [0-9]+ notes; peak [0-9]+\.[0-9] MB" &&
	[ "${tpeak:-0}" -ge 2 ] && [ "$tpeak" -le 200 ]; then
	ok "--timings prints each stage, the pages and the peak memory"
else not_ok "--timings prints each stage, the pages and the peak memory" "$tline (pages: $tpages)"; fi

check "every footnote on the page of its marker (sample)" \
	python3 tests/pdfnotes.py "$pdf"
check "layout measured from the PDF (sample, A4)" \
	python3 tests/pdflayout.py "$pdf" --template templates/a4.yaml
check "full body lines average at most 80 characters, all text 10 mm from the edge, no page more than 60pt short, no two hyphens in a row (sample, A4)" \
	python3 tests/pdflayout.py "$pdf" --template templates/a4.yaml --check measure edge fill hyphens
check "the whole notes gap between the text and the rule over the notes (sample, A4)" \
	/usr/bin/python3 tests/noterule.py "$pdf" --template templates/a4.yaml
check "notes and sources list as Chicago sets them (sample, A4)" \
	python3 tests/chicago.py "$pdf" --template templates/a4.yaml --facts "$SAMPLE"
check "every note's number after the punctuation that closes its clause (sample)" \
	python3 tests/markers.py "$pdf"
check "no line ends between a number and its month or unit, or after an attribution's dash (sample)" \
	/usr/bin/python3 tests/ties.py "$pdf"

# Each page: banner twice, "Page N of M" once.
bad=""
k=1
while [ "$k" -le "${pages:-0}" ]; do
	pdftotext -enc UTF-8 -f "$k" -l "$k" "$pdf" - 2>/dev/null >"$tmp/page.txt"
	b=$(grep -c "UNCLASSIFIED // FOR BRIEFING USE" "$tmp/page.txt")
	grep -q "Page $k of $pages" "$tmp/page.txt" || bad="$bad p$k:footer"
	[ "$b" -ge 2 ] || bad="$bad p$k:banner=$b"
	k=$((k + 1))
done
if [ -z "$bad" ]; then ok "banner and \"Page N of M\" on every page"
else not_ok "banner and \"Page N of M\" on every page" "$bad"; fi

# Each source is listed under its title, or its description; its id is
# never printed (tests/chicago.py checks the notes too).
missing=$(python3 - "$SAMPLE" "$flat" <<'PY'
import re, sys
facts = open(sys.argv[1], encoding="utf-8").read()
flat = open(sys.argv[2], encoding="utf-8").read()
listed = flat[flat.rindex("Sources "):]
block = facts[facts.index("\nsources:"):]
block = block[:re.search(r"\n[a-z]", block[1:]).start() + 1]
for src in block.split("\n  - ")[1:]:
    sid = re.match(r"id: (\S+)", src).group(1)
    name = re.search(r"\n    (?:title|description): '([^']+)'", src)
    # A title is printed in headline style: its capitals may differ.
    if name is None or name.group(1).lower() not in listed.lower() or sid in flat:
        print(sid, end=" ")
PY
)
if [ -z "$missing" ]; then ok "every source in the source list, by title or description, no id printed"
else not_ok "every source in the source list, by title or description, no id printed" "missing: $missing"; fi

outline=$(mutool show "$pdf" outline 2>/dev/null)
bad=""
for title in "Key points" "Call readouts" "Disputed breaches" "Sources"; do
	printf '%s' "$outline" | grep -qF "$title" || bad="$bad $title"
done
if [ -z "$bad" ]; then ok "bookmarks for the sections"
else not_ok "bookmarks for the sections" "missing:$bad"; fi

info=$(pdfinfo "$pdf" 2>/dev/null)
if printf '%s' "$info" | grep -q '^Title: *The Trump–Putin call of 18 March 2025' &&
	printf '%s' "$info" | grep -q '^Author: *Briefing desk' &&
	printf '%s' "$info" | grep -q '^Keywords: *ceasefire' &&
	printf '%s' "$info" | grep -q '^CreationDate: *Wed Mar 19 18:00:00 2025 UTC'; then
	ok "document metadata from the fact file"
else not_ok "document metadata from the fact file" "$info"; fi

fonts=$(pdffonts "$pdf" 2>&1)
if [ "$(printf '%s\n' "$fonts" | awk 'NR > 2 && ($(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes")' | wc -l)" -eq 0 ] &&
	! printf '%s' "$fonts" | grep -qi warning; then
	ok "fonts embedded, subset, with Unicode maps"
else not_ok "fonts embedded, subset, with Unicode maps" "$fonts"; fi
check "embedded font programs are well-formed TrueType subsets with every glyph drawn" \
	python3 tests/pdffonts.py "$pdf"

# --- reproducibility and safe output --------------------------------------------
"$BRIEFING" build "$SAMPLE" -o "$tmp/again.pdf" 2>/dev/null
(cd /tmp && TZ=Asia/Tokyo "$BRIEFING" build "$OLDPWD/$SAMPLE" -o "$tmp/third.pdf" 2>/dev/null)
if cmp -s "$pdf" "$tmp/again.pdf" && cmp -s "$pdf" "$tmp/third.pdf"; then
	ok "same input, same bytes (also from another directory and time zone)"
else not_ok "same input, same bytes"; fi

SOURCE_DATE_EPOCH=1700000000 "$BRIEFING" build tests/fixtures/minimal.yaml -o "$tmp/sde.pdf" 2>/dev/null
if pdfinfo "$tmp/sde.pdf" 2>/dev/null | grep -q '^CreationDate: *Tue Nov 14 22:13:20 2023 UTC'; then
	ok "SOURCE_DATE_EPOCH sets the PDF date"
else not_ok "SOURCE_DATE_EPOCH sets the PDF date"; fi

out=$("$BRIEFING" build "$SAMPLE" -o "$tmp/no/such/dir/x.pdf" 2>&1); st=$?
if [ $st -eq 3 ] && printf '%s' "$out" | grep -qF "cannot create a file beside \"$tmp/no/such/dir/x.pdf\""; then
	ok "unwritable output: exit 3 with the path"
else not_ok "unwritable output: exit 3 with the path" "exit $st: $out"; fi

had=$(ls -A /dev | grep -c 'null\.\|\.null')
"$BRIEFING" build "$SAMPLE" -o /dev/null 2>/dev/null; st=$?
if [ $st -eq 0 ] && [ -c /dev/null ] && [ "$(ls -A /dev | grep -c 'null\.\|\.null')" = "$had" ]; then
	ok "-o /dev/null writes into the device, not over it, with no state or lock file in /dev"
else not_ok "-o /dev/null writes into the device, not over it, with no state or lock file in /dev" \
	"exit $st: $(ls -A /dev | grep 'null\.\|\.null')"; fi
# A user who may not write in /dev can still write to /dev/null.
if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null 2>&1 &&
	runuser -u nobody -- test -r "$SAMPLE" 2>/dev/null; then
	out=$(runuser -u nobody -- "$BRIEFING" build "$SAMPLE" -o /dev/null 2>&1); st=$?
	if [ $st -eq 0 ] && [ -z "$out" ]; then ok "-o /dev/null works for a user who cannot write in /dev"
	else not_ok "-o /dev/null works for a user who cannot write in /dev" "exit $st: $out"; fi
fi
usage_case "an empty -o" "briefing: -o names a file; it cannot be empty" build "$SAMPLE" -o ""
usage_case "an empty -M" "briefing: -M names a file; it cannot be empty" build "$SAMPLE" -o "$tmp/e.pdf" -M ""
mkfifo "$tmp/fifo.pdf"
out=$(timeout 10 "$BRIEFING" build "$SAMPLE" -o "$tmp/fifo.pdf" 2>&1); st=$?
if [ $st -eq 2 ] && [ "$out" = "briefing: error: -o \"$tmp/fifo.pdf\" is a FIFO or socket; write to standard output (-o -) and pipe that instead" ]; then
	ok "a FIFO as output is refused at once (exit 2), not waited on"
else not_ok "a FIFO as output is refused at once (exit 2), not waited on" "exit $st: $out"; fi
rm -f "$tmp/fifo.pdf"
out=$("$BRIEFING" build tests/fixtures/minimal.yaml -o /dev/null --copies tests/fixtures/recipients.yaml 2>&1); st=$?
if [ $st -eq 2 ] && [ "$out" = 'briefing: error: --copies writes files beside the output; -o "/dev/null" is a device' ] &&
	! ls /dev | grep -q copy; then
	ok "--copies with a device as output is refused (exit 2)"
else not_ok "--copies with a device as output is refused (exit 2)" "exit $st: $out"; fi

ln -s "$tmp/linked-target.pdf" "$tmp/link.pdf"
"$BRIEFING" build "$SAMPLE" -o "$tmp/link.pdf" 2>/dev/null
"$BRIEFING" build "$SAMPLE" -o "$tmp/link.pdf" 2>/dev/null
if [ -L "$tmp/link.pdf" ] && cmp -s "$pdf" "$tmp/linked-target.pdf"; then
	ok "a symbolic link as output stays a link to the new PDF"
else not_ok "a symbolic link as output stays a link to the new PDF"; fi

out=$("$BRIEFING" build "$SAMPLE" -o "$tmp" 2>&1); st=$?
if [ $st -eq 3 ] && [ "$out" = "briefing: error: cannot write \"$tmp\": Is a directory" ]; then
	ok "a directory as output: exit 3"
else not_ok "a directory as output: exit 3" "exit $st: $out"; fi

cp "$pdf" "$tmp/keep.pdf"
"$BRIEFING" build tests/diag/bad-status.yaml -o "$tmp/keep.pdf" 2>/dev/null
if cmp -s "$pdf" "$tmp/keep.pdf"; then ok "a failed build keeps the previous PDF"
else not_ok "a failed build keeps the previous PDF"; fi

out=$("$BRIEFING" build "$SAMPLE" -o - 2>/dev/null | head -c 5)
if [ "$out" = "%PDF-" ]; then ok "-o - writes the PDF to standard output"
else not_ok "-o - writes the PDF to standard output" "got '$out'"; fi

# --- unattended regeneration ------------------------------------------------------
w=$tmp/work
rm -rf "$w" && mkdir -p "$w" && cp data/*.yaml data/*.md "$w/"
facts=$w/ceasefire-2025-03-18.yaml
"$BRIEFING" build "$facts" -o "$w/b.pdf" --if-changed -M "$w/b.d" 2>"$tmp/ic.err"; st=$?
stamp=$(stat -c %.9Y "$w/b.pdf" 2>/dev/null)
sleep 0.02
out=$("$BRIEFING" build "$facts" -o "$w/b.pdf" --if-changed 2>&1); st2=$?
if [ $st -eq 0 ] && [ $st2 -eq 0 ] && [ "$out" = "$w/b.pdf is up to date" ] &&
	[ "$(stat -c %.9Y "$w/b.pdf")" = "$stamp" ]; then
	ok "--if-changed leaves an up-to-date PDF untouched"
else not_ok "--if-changed leaves an up-to-date PDF untouched" "exit $st/$st2: $out $(cat "$tmp/ic.err")"; fi
for input in "$w/breaches.md" "$facts"; do
	printf '\n' >>"$input"
	out=$("$BRIEFING" build "$facts" -o "$w/b.pdf" --if-changed 2>&1); st=$?
	if [ $st -eq 0 ] && [ -z "$out" ] && [ "$(stat -c %.9Y "$w/b.pdf")" != "$stamp" ]; then
		ok "--if-changed rebuilds after an edit to $(basename "$input")"
	else not_ok "--if-changed rebuilds after an edit to $(basename "$input")" "exit $st: $out"; fi
	stamp=$(stat -c %.9Y "$w/b.pdf")
done
# A PDF of more than a megabyte (1,000 breaches), whose document information
# (with the inputs' digest) lies near its start, far from its end.
wb=$tmp/work-big
rm -rf "$wb" && mkdir -p "$wb"
python3 -c 'import sys; sys.path.insert(0, "tests"); import bench; bench.fact_file(sys.argv[1], 1000)' "$wb"
"$BRIEFING" build "$wb/facts.yaml" -o "$wb/b.pdf" --if-changed 2>"$tmp/icb.err"; st=$?
stamp=$(stat -c %.9Y "$wb/b.pdf" 2>/dev/null)
out=$("$BRIEFING" build "$wb/facts.yaml" -o "$wb/b.pdf" --if-changed 2>&1); st2=$?
size=$(stat -c %s "$wb/b.pdf" 2>/dev/null || echo 0)
if [ $st -eq 0 ] && [ $st2 -eq 0 ] && [ "$size" -gt 1200000 ] &&
	[ "$out" = "$wb/b.pdf is up to date" ] && [ "$(stat -c %.9Y "$wb/b.pdf")" = "$stamp" ]; then
	ok "--if-changed finds the digest in a PDF of $size bytes"
else not_ok "--if-changed finds the digest in a PDF of more than a megabyte" \
	"exit $st/$st2, $size bytes: $out $(head -3 "$tmp/icb.err")"; fi
if grep -q 'breaches.md \\$' "$w/b.d" && grep -q 'NotoSerif-Regular.ttf' "$w/b.d" &&
	grep -q 'b.pdf: \\$' "$w/b.d"; then
	ok "-M lists every input of the PDF"
else not_ok "-M lists every input of the PDF" "$(cat "$w/b.d")"; fi
printf 'b2.pdf:\n\t"%s" build ceasefire-2025-03-18.yaml -o b2.pdf -M b2.d\n-include b2.d\n' \
	"$BRIEFING" >"$w/Makefile"
m1=$(make -C "$w" 2>&1); m2=$(make -C "$w" 2>&1)
printf '\n' >>"$w/summary.md"; m3=$(make -C "$w" 2>&1)
if printf '%s' "$m1" | grep -q 'briefing.* build' && printf '%s' "$m2" | grep -q 'is up to date' &&
	printf '%s' "$m3" | grep -q 'briefing.* build'; then
	ok "a make rule driven by -M rebuilds exactly when an input changes"
else not_ok "a make rule driven by -M rebuilds exactly when an input changes" "$m1 / $m2 / $m3"; fi

# A depfile names paths with ':', '%', '#', '$' and spaces so that make
# reads them: make itself rebuilds when one changes, and one deleted does
# not stop it with "No rule to make target".
mk=$tmp/mk
rm -rf "$mk" && mkdir -p "$mk/a:b"
sed 's/^  summary: minimal.md/  summary: "n #1 $x sp.md"/' tests/fixtures/minimal.yaml >"$mk/a:b/f%x.yaml"
cp tests/fixtures/minimal.md "$mk/a:b/n #1 \$x sp.md"
printf 'all: out/b%%1.pdf\nout/b\\%%1.pdf:\n\tmkdir -p out\n\t"%s" build "a:b/f%%x.yaml" -o "out/b%%1.pdf" -M out/b.d\n-include out/b.d\n' \
	"$BRIEFING" >"$mk/Makefile"
m1=$(make -C "$mk" 2>&1); m2=$(make -C "$mk" 2>&1)
sleep 0.02; touch "$mk/a:b/n #1 \$x sp.md"; m3=$(make -C "$mk" 2>&1)
rm "$mk/a:b/n #1 \$x sp.md"; m4=$(make -C "$mk" 2>&1)
if printf '%s' "$m1" | grep -q ' build ' && ! printf '%s' "$m2" | grep -q ' build ' &&
	printf '%s' "$m3" | grep -q ' build ' && printf '%s' "$m4" | grep -q ' build ' &&
	! printf '%s' "$m1$m2$m3$m4" | grep -q 'No rule\|multiple target'; then
	ok "a depfile with ':', '%', '#', '\$' and spaces in its paths drives make"
else not_ok "a depfile with ':', '%', '#', '\$' and spaces in its paths drives make" \
	"$m1 / $m2 / $m3 / $m4 / $(cat "$mk/out/b.d" 2>/dev/null | head -5)"; fi

# A path make cannot read at all (a line break in a name) is refused, and
# nothing is written; the message shows the line break as \n.
nl="$mk/line
break.yaml"
cp tests/fixtures/minimal.yaml "$nl" && cp tests/fixtures/minimal.md "$mk/"
out=$("$BRIEFING" build "$nl" -o "$mk/nl.pdf" -M "$mk/nl.d" 2>&1); st=$?
if [ $st -eq 3 ] && [ "$out" = "briefing: error: cannot name \"$mk/line\\nbreak.yaml\" in a make rule: it holds a line break or a tab" ] &&
	[ ! -e "$mk/nl.pdf" ] && [ ! -e "$mk/nl.d" ]; then
	ok "a depfile naming a path with a line break is refused, nothing written"
else not_ok "a depfile naming a path with a line break is refused, nothing written" "exit $st: $out"; fi

# --if-changed counts everything that changes the outputs: the state file
# named by --since, and every copy.
ic=$tmp/ifchanged
rm -rf "$ic" && mkdir -p "$ic"
cp tests/fixtures/minimal.yaml tests/fixtures/minimal.md tests/fixtures/recipients.yaml "$ic/"
sed 's/^  edition: 2/  edition: 1/' "$ic/minimal.yaml" >"$ic/first.yaml"
"$BRIEFING" build "$ic/first.yaml" -o "$ic/first.pdf" 2>/dev/null
"$BRIEFING" build "$ic/minimal.yaml" -o "$ic/second.pdf" 2>/dev/null
sed -i 's/^  edition: 2/  edition: 3/' "$ic/minimal.yaml"
"$BRIEFING" build "$ic/minimal.yaml" -o "$ic/m.pdf" --since "$ic/second.pdf.state" --if-changed 2>/dev/null
out1=$("$BRIEFING" build "$ic/minimal.yaml" -o "$ic/m.pdf" --since "$ic/second.pdf.state" --if-changed 2>&1)
out2=$("$BRIEFING" build "$ic/minimal.yaml" -o "$ic/m.pdf" --since "$ic/first.pdf.state" --if-changed 2>&1)
if [ "$out1" = "$ic/m.pdf is up to date" ] && [ -z "$out2" ] &&
	has_texts "$ic/m.pdf" "Changes since edition 1" >/dev/null; then
	ok "--if-changed rebuilds when --since names another state file"
else not_ok "--if-changed rebuilds when --since names another state file" "$out1 / $out2"; fi
"$BRIEFING" build "$ic/minimal.yaml" -o "$ic/c.pdf" --copies "$ic/recipients.yaml" --if-changed 2>/dev/null
rm "$ic/c-copy-02-ministry-of-defence-policy-directorate.pdf"
out=$("$BRIEFING" build "$ic/minimal.yaml" -o "$ic/c.pdf" --copies "$ic/recipients.yaml" --if-changed 2>&1); st=$?
if [ $st -eq 0 ] && [ -z "$out" ] &&
	has_texts "$ic/c-copy-02-ministry-of-defence-policy-directorate.pdf" "Copy 2 of 3" >/dev/null; then
	ok "--if-changed writes a copy that was deleted"
else not_ok "--if-changed writes a copy that was deleted" "exit $st: $out"; fi

# Killed at any moment, a run leaves the previous PDF as it was.
cp "$pdf" "$w/k.pdf"
bad=""
for delay in 0.01 0.03 0.06 0.1 0.15 0.2 0.3; do
	"$BRIEFING" build tests/fixtures/stress.yaml -o "$w/k.pdf" 2>/dev/null &
	kp=$!
	sleep $delay
	kill -9 $kp 2>/dev/null
	wait $kp 2>/dev/null
	# Either the old PDF, or (when the run finished first) the new one.
	if ! cmp -s "$pdf" "$w/k.pdf" &&
		! pdfinfo "$w/k.pdf" 2>/dev/null | grep -q '^Pages: *5[0-9]'; then
		bad="$bad $delay"
	fi
	cp "$pdf" "$w/k.pdf"
done
if [ -z "$bad" ]; then ok "kill -9 during a build leaves the previous PDF intact"
else not_ok "kill -9 during a build leaves the previous PDF intact" "broken after:$bad"; fi

# Two runs at once on one output: the second waits for the first.  (The
# same briefing twice: another would list every fact as a change since
# the first one's edition, recorded beside the output.)
"$BRIEFING" build tests/fixtures/stress.yaml -o "$w/l.pdf" 2>/dev/null &
lp=$!
"$BRIEFING" build tests/fixtures/stress.yaml -o "$w/l.pdf" 2>/dev/null; st=$?
wait $lp; st1=$?
if [ $st -eq 0 ] && [ $st1 -eq 0 ] && pdfinfo "$w/l.pdf" >/dev/null 2>&1; then
	ok "two runs writing one output take turns"
else not_ok "two runs writing one output take turns" "exit $st1/$st"; fi

# --state-dir: the state and the lock live there, and the next edition
# finds its predecessor there; a file in its place is a usage error.
sd=$tmp/state-dir
rm -rf "$sd" && mkdir -p "$sd/www" && cp tests/fixtures/minimal.yaml tests/fixtures/minimal.md "$sd/"
"$BRIEFING" build "$sd/minimal.yaml" -o "$sd/www/m.pdf" --state-dir "$sd/state" 2>/dev/null; st1=$?
sed -i 's/^  edition: 2$/  edition: 3/' "$sd/minimal.yaml"
"$BRIEFING" build "$sd/minimal.yaml" -o "$sd/www/m.pdf" --state-dir "$sd/state" 2>/dev/null; st2=$?
: >"$sd/plain"
out=$("$BRIEFING" build "$sd/minimal.yaml" -o "$sd/www/n.pdf" --state-dir "$sd/plain" 2>&1); st3=$?
if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && [ "$(ls -A "$sd/www")" = m.pdf ] &&
	[ "$(ls -A "$sd/state" | tr '\n' ' ')" = ".m.pdf.lock m.pdf.state " ] &&
	grep -q '^base-edition	2$' "$sd/state/m.pdf.state" &&
	has_texts "$sd/www/m.pdf" "Changes since edition 2" >/dev/null &&
	[ $st3 -eq 2 ] && [ "$out" = "briefing: error: --state-dir \"$sd/plain\" is not a directory" ] &&
	[ ! -e "$sd/www/n.pdf" ]; then
	ok "--state-dir keeps the state file and the lock out of the output's folder"
else not_ok "--state-dir keeps the state file and the lock out of the output's folder" \
	"exit $st1/$st2/$st3: $out; www: $(ls -A "$sd/www"); state: $(ls -A "$sd/state")"; fi

out=$("$BRIEFING" build tests/fixtures/minimal.yaml -o "$tmp/p.pdf" --paper letter 2>&1); st=$?
size=$(pdfinfo "$tmp/p.pdf" 2>/dev/null | sed -n 's/^Page size: *//p')
if [ $st -eq 0 ] && printf '%s' "$size" | grep -q '^612 x 792'; then ok "--paper letter overrides the template"
else not_ok "--paper letter overrides the template" "exit $st: $out $size"; fi

# --- editions and the change log ---------------------------------------------------
e=$tmp/edition
rm -rf "$e" && mkdir -p "$e" && cp data/*.yaml data/*.md "$e/"
"$BRIEFING" build "$e/ceasefire-2025-03-18.yaml" -o "$e/b.pdf" 2>/dev/null
first=$(pdftotext "$e/b.pdf" - 2>/dev/null | grep -c 'Changes since edition')
sed -i 's/^  edition: 1$/  edition: 2/; s/^    status: unverified$/    status: disputed/' "$e/ceasefire-2025-03-18.yaml"
printf '%s\n' "  - id: new-alleged-strike" "    date: 2025-03-19" "    alleged_by: ua" \
	"    accused: ru" "    claim: 'A further strike on energy infrastructure was alleged.'" \
	"    sources: [breach-claims-2025-03-19]" "    status: unverified" >>"$e/ceasefire-2025-03-18.yaml"
"$BRIEFING" build "$e/ceasefire-2025-03-18.yaml" -o "$e/b.pdf" 2>"$tmp/ed.err"; st=$?
pdftotext "$e/b.pdf" - 2>/dev/null | tr '\n' ' ' | sed 's/- //g; s/  */ /g' >"$tmp/ed.txt"
if [ $st -eq 0 ] && [ "$first" -eq 0 ] &&
	grep -qF 'Changes since edition 1' "$tmp/ed.txt" &&
	grep -qF 'Added breach: “A further strike on energy infrastructure was alleged.”, p. ' "$tmp/ed.txt" &&
	grep -qF 'Status changed breach: “Russia accused Ukraine of breaching the truce' "$tmp/ed.txt" &&
	grep -qF 'from unverified to disputed, p. ' "$tmp/ed.txt" &&
	grep -q '^base-edition	1$' "$e/b.pdf.state"; then
	ok "the change log lists a breach added and a status changed since edition 1"
else not_ok "the change log lists a breach added and a status changed since edition 1" "exit $st: $(cat "$tmp/ed.err")"; fi
cp "$e/b.pdf" "$e/first.pdf"
"$BRIEFING" build "$e/ceasefire-2025-03-18.yaml" -o "$e/b.pdf" 2>/dev/null
if cmp -s "$e/b.pdf" "$e/first.pdf"; then ok "regenerating an edition keeps its change log"
else not_ok "regenerating an edition keeps its change log"; fi
# Readout points have no ids: one deleted, one reworded and one inserted
# before the others are one change each, and the others none; a date
# changed says from what to what.
ep=$tmp/edition-points
rm -rf "$ep" && mkdir -p "$ep" && cp tests/fixtures/minimal.md "$ep/"
python3 - "$ep" <<'PY'
import sys
d = sys.argv[1]
s = open("tests/fixtures/minimal.yaml").read().replace("edition: 2", "edition: 1")
point = "          - text: %s\n            sources: [art]\n"
first = "          - text: The pause covers “energy and infrastructure”.\n            sources: [art]\n"
texts = ["Both leaders agreed that the conflict must end with a lasting peace.",
         "Negotiations on a maritime ceasefire in the Black Sea will begin immediately.",
         "The two presidents discussed the situation in the Middle East at length."]
one = s.replace(first, first + "".join(point % t for t in texts))
open(d + "/one.yaml", "w").write(one)
two = one.replace("edition: 1", "edition: 2").replace(point % texts[0], "")
two = two.replace(texts[1], "Negotiations on a maritime ceasefire in the Black Sea would begin at once.")
two = two.replace(first, point % "Trump said the call was very good and productive." + first)
two = two.replace("    date: 2025-03-18\n    alleged_by", "    date: 2025-03-19\n    alleged_by")
open(d + "/two.yaml", "w").write(two)
PY
cp "$ep/one.yaml" "$ep/e.yaml"
"$BRIEFING" build "$ep/e.yaml" -o "$ep/e.pdf" 2>"$ep/one.err"; st1=$?
cp "$ep/two.yaml" "$ep/e.yaml"
"$BRIEFING" build "$ep/e.yaml" -o "$ep/e.pdf" 2>"$ep/two.err"; st2=$?
pdftotext "$ep/e.pdf" - 2>/dev/null | tr '\n' ' ' | sed 's/- //g; s/  */ /g' |
	grep -o 'Changes since edition 1 [^K]*' | tail -n 1 >"$ep/changes.txt"
want='Changes since edition 1 Added readout point: “Trump said the call was very good and productive.”, p. 1. Changed readout point: “Negotiations on a maritime ceasefire in the Black Sea would begin at once.” (wording revised), p. 2. Changed breach: “Strikes continued.” (date changed from 18 March 2025 to 19 March 2025), p. 2. Removed readout point: “Both leaders agreed that the conflict must end with a lasting peace.” '
if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && [ ! -s "$ep/two.err" ] && [ "$(cat "$ep/changes.txt")" = "$want" ]; then
	ok "a readout point deleted, reworded or inserted is one change each, the others none"
else not_ok "a readout point deleted, reworded or inserted is one change each, the others none" \
	"exit $st1/$st2: $(cat "$ep/two.err") got: $(cat "$ep/changes.txt")"; fi
# The state file keeps the earlier editions: edition 5 lists the changes
# since edition 3 with --since-edition 3; one it does not keep is an
# error naming those it does.
eh=$tmp/edition-history
rm -rf "$eh" && mkdir -p "$eh" && cp tests/fixtures/minimal.yaml tests/fixtures/minimal.md "$eh/"
for n in 1 2 3 4 5; do
	sed -i "s/^  edition: .*/  edition: $n/; s/^    claim: .*/    claim: Strikes continued, as report $n says./" "$eh/minimal.yaml"
	[ $n -eq 4 ] && sed -i 's/^    status: disputed$/    status: denied/' "$eh/minimal.yaml"
	"$BRIEFING" build "$eh/minimal.yaml" -o "$eh/m.pdf" 2>>"$eh/err" || break
done
"$BRIEFING" build "$eh/minimal.yaml" -o "$eh/m.pdf" --since-edition 3 2>>"$eh/err"; st=$?
pdftotext "$eh/m.pdf" - 2>/dev/null | tr '\n' ' ' | sed 's/- //g; s/  */ /g' >"$eh/text"
out=$("$BRIEFING" build "$eh/minimal.yaml" -o "$eh/m.pdf" --since-edition 7 2>&1); st7=$?
if [ $st -eq 0 ] && [ ! -s "$eh/err" ] &&
	grep -qF 'Changes since edition 3 Status changed breach: “Strikes continued, as report 5 says.”, from disputed to denied (wording revised), p.' "$eh/text" &&
	[ "$(grep -c '^old-edition' "$eh/m.pdf.state")" -eq 3 ] &&
	[ $st7 -eq 1 ] && [ "$out" = "$eh/m.pdf.state: error: --since-edition 7: no earlier edition 7 is recorded here (it records 5, 3, 4, 2, 1)" ]; then
	ok "--since-edition lists the changes since an earlier edition the state file keeps"
else not_ok "--since-edition lists the changes since an earlier edition the state file keeps" \
	"exit $st/$st7: $(cat "$eh/err") $out; $(grep -o 'Changes since edition 3 .\{0,120\}' "$eh/text")"; fi
# Commentary is listed paragraph by paragraph, under its section's title,
# without its Markdown and citations.
ec=$tmp/edition-commentary
rm -rf "$ec" && mkdir -p "$ec" && sed 's/^  edition: 2$/  edition: 1/' tests/fixtures/minimal.yaml >"$ec/m.yaml"
printf 'The call was *productive* [@art].\n\nA paragraph to be reworded soon [@art].\n' >"$ec/minimal.md"
"$BRIEFING" build "$ec/m.yaml" -o "$ec/m.pdf" 2>"$ec/one.err"; st1=$?
sed -i 's/^  edition: 1$/  edition: 2/' "$ec/m.yaml"
printf 'The call was *productive* [@art].\n\nA paragraph reworded since [@art].\n\nA new paragraph [@art].\n' >"$ec/minimal.md"
"$BRIEFING" build "$ec/m.yaml" -o "$ec/m.pdf" 2>"$ec/two.err"; st2=$?
pdftotext "$ec/m.pdf" - 2>/dev/null | tr '\n' ' ' | sed 's/- //g; s/  */ /g' |
	sed 's/.*Changes since edition 1 Changed/Changes since edition 1 Changed/; s/Key points The call was.*//' >"$ec/changes.txt"
want='Changes since edition 1 Changed commentary in Key points: “A paragraph reworded since.” (wording revised). Added commentary in Key points: “A new paragraph.” '
if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && [ "$(cat "$ec/changes.txt")" = "$want" ]; then
	ok "commentary edits are listed paragraph by paragraph under their section"
else not_ok "commentary edits are listed paragraph by paragraph under their section" \
	"exit $st1/$st2: $(cat "$ec/two.err") got: $(cat "$ec/changes.txt")"; fi
# An edition number that goes backwards is an error naming both; the
# previous PDF and state stay.
eb=$tmp/edition-back
rm -rf "$eb" && mkdir -p "$eb" && cp tests/fixtures/minimal.yaml tests/fixtures/minimal.md "$eb/"
sed -i 's/^  edition: 2$/  edition: 5/' "$eb/minimal.yaml"
"$BRIEFING" build "$eb/minimal.yaml" -o "$eb/m.pdf" 2>/dev/null
cp "$eb/m.pdf" "$eb/five.pdf" && cp "$eb/m.pdf.state" "$eb/five.state"
sed -i 's/^  edition: 5$/  edition: 3/' "$eb/minimal.yaml"
eline=$(grep -n '^  edition: 3$' "$eb/minimal.yaml" | cut -d: -f1)
out=$("$BRIEFING" build "$eb/minimal.yaml" -o "$eb/m.pdf" 2>&1); st=$?
if [ $st -eq 1 ] && [ "$out" = "$eb/minimal.yaml:$eline:12: error: edition 3 is older than edition 5, which \"$eb/m.pdf.state\" records; raise \"edition\" (or pass --since with the state file of an earlier edition)" ] &&
	cmp -s "$eb/m.pdf" "$eb/five.pdf" && cmp -s "$eb/m.pdf.state" "$eb/five.state"; then
	ok "an edition number that goes backwards is an error naming both numbers"
else not_ok "an edition number that goes backwards is an error naming both numbers" "exit $st: $out"; fi

# A state file that is not one this tool wrote: an error at its line,
# never half-read.  hostile_state NAME WANT-LOC WANT-MESSAGE PRINTF-ARGS...
sed -i 's/^  edition: 3$/  edition: 6/' "$eb/minimal.yaml"
hostile_state() {
	name=$1 want="$eb/m.pdf.state:$2: error: $3"
	shift 3
	cp "$eb/five.state" "$eb/m.pdf.state"
	# shellcheck disable=SC2059
	printf "$@" >>"$eb/m.pdf.state"
	out=$("$BRIEFING" build "$eb/minimal.yaml" -o "$eb/m.pdf" 2>&1); st=$?
	if [ $st -eq 1 ] && [ "$out" = "$want" ] && cmp -s "$eb/m.pdf" "$eb/five.pdf"; then
		ok "a state file with $name is an error at its line"
	else not_ok "a state file with $name is an error at its line" "exit $st: $out"; fi
}
sl=$(($(wc -l <"$eb/five.state") + 1))
hostile_state "a NUL byte" "$sl:15" "NUL byte 0x00: not a state file this tool wrote" 'base-edition\t1\000 2\n'
hostile_state "invalid UTF-8" "$sl:46" "invalid UTF-8 byte 0xFF: not a state file this tool wrote" 'fact\tsource\tsource:x\t\t0123456789abcdef\tLabel \377\n'
hostile_state "a control character" "$sl:5" "control character 0x1B: not a state file this tool wrote" 'fact\033[2J\n'
hostile_state "an earlier edition that is later" "$sl:1" "the state file measures edition 5 against edition 7, which is not an earlier one" 'base-edition\t7\n'
cp "$eb/five.state" "$eb/m.pdf.state"
python3 -c 'import sys; p = sys.argv[1]; s = open(p).read(); open(p, "w").write(s.replace("edition\t5\n", "edition\t" + "9" * 100000 + "\n", 1))' "$eb/m.pdf.state"
out=$("$BRIEFING" build "$eb/minimal.yaml" -o "$eb/m.pdf" 2>&1); st=$?
if [ $st -eq 1 ] && [ "$out" = "$eb/m.pdf.state:2:9: error: the edition in a state file must be a whole number from 1 to 999999, not \"99999999999999999999…\"" ] &&
	cmp -s "$eb/m.pdf" "$eb/five.pdf"; then
	ok "a state file with an edition of 100,000 digits is an error at its line"
else not_ok "a state file with an edition of 100,000 digits is an error at its line" "exit $st: $(printf '%s' "$out" | cut -c1-300)"; fi

out=$("$BRIEFING" build "$SAMPLE" -o "$tmp/s2.pdf" --since "$tmp/no-state" 2>&1); st=$?
if [ $st -eq 1 ] && [ "$out" = "$tmp/no-state: error: cannot open \"$tmp/no-state\": No such file or directory" ]; then
	ok "--since with a missing state file is an error"
else not_ok "--since with a missing state file is an error" "exit $st: $out"; fi

# --- distribution copies ------------------------------------------------------------
c=$tmp/copies
rm -rf "$c" && mkdir -p "$c"
"$BRIEFING" build tests/fixtures/minimal.yaml -o "$c/m.pdf" --copies tests/fixtures/recipients.yaml 2>"$tmp/c.err"; st=$?
n=0
bad=""
for f in "$c/m-copy-01-committee.pdf" "$c/m-copy-02-ministry-of-defence-policy-directorate.pdf" \
	"$c/m-copy-03-olena-kovalenko.pdf"; do
	n=$((n + 1))
	has_texts "$f" "Copy $n of 3" >/dev/null || bad="$bad $(basename "$f")"

	pdfinfo "$f" 2>/dev/null | grep -q '^Title: *Minimal briefing' || bad="$bad $(basename "$f"):title"
done
if [ $st -eq 0 ] && [ -z "$bad" ] && [ ! -s "$tmp/c.err" ]; then
	ok "--copies with three recipients writes three marked copies"
else not_ok "--copies with three recipients writes three marked copies" "exit $st:$bad $(cat "$tmp/c.err")"; fi
if pdftotext "$c/m.pdf" - 2>/dev/null | grep -q 'Distribution list (annex)' &&
	! pdftotext "$c/m.pdf" - 2>/dev/null | grep -q 'Copy 1 of 3'; then
	ok "the master copy carries the distribution list"
else not_ok "the master copy carries the distribution list"; fi
# The list is an annex: its page is A-1, the body keeps "Page N of M", the
# contents leave it out, and the copies are the body alone.
mp=$(pdfinfo "$c/m.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
cp1=$(pdfinfo "$c/m-copy-01-committee.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
last=$(pdftotext -f "${mp:-1}" -l "${mp:-1}" "$c/m.pdf" - 2>/dev/null)
first=$(pdftotext -f 1 -l 1 "$c/m.pdf" - 2>/dev/null)
if [ -n "$mp" ] && [ "$cp1" = $((mp - 1)) ] &&
	printf '%s\n' "$last" | grep -q "Page A-1 of A-1" &&
	printf '%s\n' "$last" | grep -q "^3 .*Олена Коваленко\|Олена Коваленко" &&
	printf '%s\n' "$first" | grep -q "Page 1 of $cp1" &&
	! printf '%s\n' "$first" | grep -q "Distribution list"; then
	ok "the distribution list is an annex on page A-1, outside the contents and the copies"
else not_ok "the distribution list is an annex on page A-1, outside the contents and the copies" \
	"master $mp pages, copy $cp1 pages; last page: $last"; fi
out=$("$BRIEFING" check "$SAMPLE" --copies tests/fixtures/recipients-bad.yaml 2>&1); st=$?
if [ $st -eq 1 ] && printf '%s\n' "$out" | grep -qxF 'tests/fixtures/recipients-bad.yaml:5:5: error: unknown key "organization" in a recipient; did you mean "organisation"?'; then
	ok "a bad recipients file gets diagnostics with line and column"
else not_ok "a bad recipients file gets diagnostics with line and column" "exit $st: $out"; fi
# 50,000 recipients, the last a second "Recipient 7": names are compared
# in O(n log n), so the duplicate is found at once (comparing every pair,
# as before, took over 20 seconds).
awk 'BEGIN { print "recipients:"; for (i = 0; i < 50000; i++) printf "  - name: Recipient %d\n", i;
	print "  - name: RECIPIENT 7" }' >"$tmp/r50k.yaml"
out=$(timeout 10 "$BRIEFING" check "$SAMPLE" --copies "$tmp/r50k.yaml" 2>&1); st=$?
want="$tmp/r50k.yaml:50002:11: error: duplicate recipient \"RECIPIENT 7\"
$tmp/r50k.yaml:9:11: note: \"Recipient 7\" was first given here"
if [ $st -eq 1 ] && [ "$out" = "$want" ]; then
	ok "a duplicate among 50,000 recipients is reported at once"
else not_ok "a duplicate among 50,000 recipients is reported at once" "exit $st: $out"; fi

# --- -q for scheduled runs: errors only ------------------------------------------------
qd=$tmp/quiet
rm -rf "$qd" && mkdir -p "$qd" && cp tests/hostile/md-html-script.yaml tests/hostile/md-html-script.md "$qd/"
"$BRIEFING" build "$qd/md-html-script.yaml" -o "$qd/loud.pdf" >"$qd/loud.out" 2>&1
"$BRIEFING" build "$qd/md-html-script.yaml" -o "$qd/q.pdf" -q >"$qd/q1.out" 2>&1; st1=$?
"$BRIEFING" build "$qd/md-html-script.yaml" -o "$qd/q.pdf" --if-changed >"$qd/loud2.out" 2>&1
"$BRIEFING" build "$qd/md-html-script.yaml" -o "$qd/q.pdf" --if-changed --quiet >"$qd/q2.out" 2>&1; st2=$?
"$BRIEFING" check "$qd/md-html-script.yaml" -q >"$qd/q3.out" 2>&1; st3=$?
"$BRIEFING" check "$qd/md-html-script.yaml" -q --format json >"$qd/q4.out" 2>&1; st4=$?
if grep -q 'warning: raw HTML dropped' "$qd/loud.out" && grep -q 'is up to date' "$qd/loud2.out" &&
	[ $st1 -eq 0 ] && [ $st2 -eq 0 ] && [ $st3 -eq 0 ] && [ $st4 -eq 0 ] &&
	[ ! -s "$qd/q1.out" ] && [ ! -s "$qd/q2.out" ] && [ ! -s "$qd/q3.out" ] &&
	[ "$(cat "$qd/q4.out")" = "[]" ] && pdfinfo "$qd/q.pdf" >/dev/null 2>&1; then
	ok "-q prints nothing for a build with warnings, an up-to-date build or a clean check"
else not_ok "-q prints nothing for a build with warnings, an up-to-date build or a clean check" \
	"$st1 $st2 $st3 $st4: $(cat "$qd/q1.out" "$qd/q2.out" "$qd/q3.out" "$qd/q4.out")"; fi
# An error still prints with its note; the warnings beside it do not.
cp tests/diag/source-listed-twice.yaml "$qd/dup.yaml" && cp tests/diag/source-listed-twice.md "$qd/"
sed -i '0,/^  - id: art$/s//  - id: art\n    outlet: null\n    author: null\n    title: Again\n    date: null\n    url: null\n  - id: art/' "$qd/dup.yaml"
"$BRIEFING" check "$qd/dup.yaml" >"$qd/loud3.out" 2>&1
out=$("$BRIEFING" check "$qd/dup.yaml" -q 2>&1); st=$?
if [ $st -eq 1 ] && grep -q 'warning: source "art" is listed twice' "$qd/loud3.out" &&
	[ "$(printf '%s\n' "$out" | grep -c 'error: duplicate source id "art"')" = 1 ] &&
	[ "$(printf '%s\n' "$out" | grep -c 'note: "art" was first defined here')" = 1 ] &&
	! printf '%s\n' "$out" | grep -q 'warning'; then
	ok "-q keeps errors and their notes and drops the warnings"
else not_ok "-q keeps errors and their notes and drops the warnings" "exit $st: $out / $(cat "$qd/loud3.out")"; fi

# --- README's scheduling examples, run as written ------------------------------------
# Only the places move: /srv into a scratch directory and the installed
# /usr/local/bin/briefing to the binary under test.  Cron's environment
# is PATH=/usr/bin:/bin and little else.
rx=$tmp/readme
rm -rf "$rx" && mkdir -p "$rx/srv/briefing" "$rx/srv/www" && cp -r data "$rx/srv/briefing/"
moved() { sed -e "s|/usr/local/bin/briefing|$BRIEFING|g" -e "s|/srv/|$rx/srv/|g"; }
cron=$(sed -n 's/^\*\/15 \* \* \* \* //p' README.md | moved)
env -i PATH=/usr/bin:/bin SHELL=/bin/sh HOME="$rx" /bin/sh -c "$cron" >"$rx/cron1" 2>&1; st1=$?
env -i PATH=/usr/bin:/bin SHELL=/bin/sh HOME="$rx" /bin/sh -c "$cron" >"$rx/cron2" 2>&1; st2=$?
if [ -n "$cron" ] && [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && [ ! -s "$rx/cron1" ] && [ ! -s "$rx/cron2" ] &&
	[ "$(ls -A "$rx/srv/www")" = briefing.pdf ] && [ -s "$rx/srv/briefing/state/briefing.pdf.state" ] &&
	pdfinfo "$rx/srv/www/briefing.pdf" >/dev/null 2>&1; then
	ok "README's cron line runs as written: silent, the web root gets the PDF alone"
else not_ok "README's cron line runs as written: silent, the web root gets the PDF alone" \
	"[$cron] exit $st1/$st2: $(cat "$rx/cron1" "$rx/cron2"); www: $(ls -A "$rx/srv/www")"; fi
rm -rf "$rx/srv/www"/* "$rx/srv/www"/.[!.]* "$rx/srv/briefing/state"
wdir=$(sed -n 's/^WorkingDirectory=//p' README.md | moved)
exec_start=$(sed -n 's/^ExecStart=//p' README.md | moved)
(cd "$wdir" && env -i PATH=/usr/bin:/bin $exec_start) >"$rx/unit" 2>&1; st=$?
if [ -n "$exec_start" ] && [ $st -eq 0 ] && [ "$(ls -A "$rx/srv/www")" = briefing.pdf ] &&
	pdfinfo "$rx/srv/www/briefing.pdf" >/dev/null 2>&1; then
	ok "README's systemd service runs as written"
else not_ok "README's systemd service runs as written" "[$exec_start] exit $st: $(cat "$rx/unit")"; fi
# The make example, in a fresh tree without out/: builds, is then up to
# date, and builds again when a commentary file changes.
mk=$rx/project
mkdir -p "$mk" && cp -r data "$mk/"
awk '/^```make$/ { on = 1; next } /^```$/ { on = 0 } on' README.md >"$mk/Makefile"
make -C "$mk" BRIEFING="$BRIEFING" >"$rx/make1" 2>&1; st1=$?
make -C "$mk" BRIEFING="$BRIEFING" >"$rx/make2" 2>&1; st2=$?
m1=$(stat -c %.9Y "$mk/out/briefing.pdf" 2>/dev/null)
sleep 0.05
touch "$mk"/data/*.md
make -C "$mk" BRIEFING="$BRIEFING" >"$rx/make3" 2>&1; st3=$?
m2=$(stat -c %.9Y "$mk/out/briefing.pdf" 2>/dev/null)
if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && [ $st3 -eq 0 ] && [ -n "$m1" ] && [ "$m1" != "$m2" ] &&
	grep -q "is up to date" "$rx/make2" && grep -q '\.md' "$mk/out/briefing.d"; then
	ok "README's make rule runs as written in a fresh tree, and rebuilds when commentary changes"
else not_ok "README's make rule runs as written in a fresh tree, and rebuilds when commentary changes" \
	"exit $st1/$st2/$st3: $(cat "$rx/make1" "$rx/make2" "$rx/make3")"; fi

# --- the creation date ----------------------------------------------------------------
# Any as_of the fact file may hold gets its date, before 1970 and in the
# last hours of 9999 (UTC already in 10000) alike; a SOURCE_DATE_EPOCH
# that is no number of seconds is refused, not read as 1970.
cd_dir=$tmp/created
rm -rf "$cd_dir" && mkdir -p "$cd_dir" && cp tests/fixtures/minimal.yaml tests/fixtures/minimal.md "$cd_dir/"
created() { # AS_OF: the CreationDate of the briefing as of AS_OF
	sed -i "s/^  as_of: .*/  as_of: $1/" "$cd_dir/minimal.yaml"
	env -u SOURCE_DATE_EPOCH "$BRIEFING" build "$cd_dir/minimal.yaml" -o "$cd_dir/c.pdf" 2>/dev/null &&
		pdfinfo -rawdates "$cd_dir/c.pdf" 2>/dev/null | sed -n 's/^CreationDate: *//p'
}
d1=$(created 1969-07-20T20:17:00Z)
d2=$(created 9999-12-31T23:00:00-05:00)
if [ "$d1" = "D:19690720201700+00'00'" ] && [ "$d2" = "D:99991231230000-05'00'" ]; then
	ok "an as_of before 1970 or at the end of 9999 is the PDF's creation date"
else not_ok "an as_of before 1970 or at the end of 9999 is the PDF's creation date" "got [$d1] [$d2]"; fi
bad=""
for v in abc 12abc -5 1.5 " 7" 253402300800 99999999999999999999; do
	out=$(SOURCE_DATE_EPOCH="$v" "$BRIEFING" build "$cd_dir/minimal.yaml" -o "$cd_dir/s.pdf" 2>&1); st=$?
	[ $st -eq 2 ] && [ ! -e "$cd_dir/s.pdf" ] &&
		printf '%s\n' "$out" | grep -qF "briefing: error: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC" ||
		bad="$bad [$v: $st $out]"
done
d3=$(SOURCE_DATE_EPOCH=0 "$BRIEFING" build "$cd_dir/minimal.yaml" -o "$cd_dir/s.pdf" 2>/dev/null &&
	pdfinfo -rawdates "$cd_dir/s.pdf" | sed -n 's/^CreationDate: *//p')
if [ -z "$bad" ] && [ "$d3" = "D:19700101000000+00'00'" ]; then
	ok "a SOURCE_DATE_EPOCH that is no number of seconds is a usage error"
else not_ok "a SOURCE_DATE_EPOCH that is no number of seconds is a usage error" "$bad; 0 gives [$d3]"; fi

# --- permissions of what a build replaces -----------------------------------------------
# A private PDF behind a link stays private; a file replaced keeps its
# mode; a new file gets what the umask leaves.
pm=$tmp/modes
rm -rf "$pm" && mkdir -p "$pm" && cp tests/fixtures/minimal.yaml tests/fixtures/minimal.md "$pm/"
: >"$pm/private.pdf" && chmod 600 "$pm/private.pdf" && ln -s private.pdf "$pm/link.pdf"
: >"$pm/group.pdf" && chmod 640 "$pm/group.pdf"
"$BRIEFING" build "$pm/minimal.yaml" -o "$pm/link.pdf" 2>/dev/null; st1=$?
"$BRIEFING" build "$pm/minimal.yaml" -o "$pm/group.pdf" 2>/dev/null; st2=$?
(umask 077 && "$BRIEFING" build "$pm/minimal.yaml" -o "$pm/new.pdf" 2>/dev/null); st3=$?
modes=$(stat -c '%a' "$pm/private.pdf" "$pm/group.pdf" "$pm/new.pdf" "$pm/new.pdf.state" | tr '\n' ' ')
if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && [ $st3 -eq 0 ] && [ -L "$pm/link.pdf" ] &&
	[ "$modes" = "600 640 600 600 " ] && pdfinfo "$pm/private.pdf" >/dev/null 2>&1; then
	ok "a replaced output keeps its mode, through a link too; a new one follows the umask"
else not_ok "a replaced output keeps its mode, through a link too; a new one follows the umask" \
	"exit $st1/$st2/$st3, modes $modes"; fi

# --- watch ----------------------------------------------------------------------------
wd=$tmp/watch
rm -rf "$wd" && mkdir -p "$wd" && cp tests/fixtures/minimal.yaml tests/fixtures/minimal.md "$wd/"
"$BRIEFING" watch "$wd/minimal.yaml" -o "$wd/w.pdf" 2>"$wd/log" &
wp=$!
k=0
while [ ! -s "$wd/w.pdf" ] && [ $k -lt 100 ]; do sleep 0.1; k=$((k + 1)); done
m1=$(stat -c %.9Y "$wd/w.pdf" 2>/dev/null)
printf '\nA new paragraph [@art].\n' >>"$wd/minimal.md"
k=0
while [ "$(stat -c %.9Y "$wd/w.pdf")" = "$m1" ] && [ $k -lt 100 ]; do sleep 0.1; k=$((k + 1)); done
m2=$(stat -c %.9Y "$wd/w.pdf")
printf 'broken: [\n' >>"$wd/minimal.yaml"
k=0
while ! grep -q 'kept as it was' "$wd/log" && [ $k -lt 100 ]; do sleep 0.1; k=$((k + 1)); done
m3=$(stat -c %.9Y "$wd/w.pdf")
kill $wp 2>/dev/null
wait $wp; wst=$?
if [ -n "$m1" ] && [ "$m2" != "$m1" ] && [ "$m3" = "$m2" ] && [ $wst -eq 0 ] &&
	grep -q 'error: YAML syntax error' "$wd/log" && pdfinfo "$wd/w.pdf" >/dev/null 2>&1; then
	ok "watch rebuilds on save and keeps the last good PDF when the data breaks"
else not_ok "watch rebuilds on save and keeps the last good PDF when the data breaks" "exit $wst: $(cat "$wd/log")"; fi

# A load-stage error in a commentary file, or a commentary file that does
# not exist yet: fixing it builds again (the failed run's files are
# watched, with the last good build's).
wd=$tmp/watch-fix
rm -rf "$wd" && mkdir -p "$wd" && cp tests/fixtures/minimal.yaml tests/fixtures/minimal.md "$wd/"
wrote() { grep -c '^briefing: wrote' "$wd/log"; }
kept() { grep -c 'kept as it was' "$wd/log"; }
until_count() { # FUNCTION N: waits up to 10 s for FUNCTION to print N
	k=0
	while [ "$($1)" -lt "$2" ] && [ $k -lt 100 ]; do sleep 0.1; k=$((k + 1)); done
}
"$BRIEFING" watch "$wd/minimal.yaml" -o "$wd/w.pdf" 2>"$wd/log" &
wp=$!
until_count wrote 1
cp "$wd/minimal.md" "$wd/good.md"
printf '\nBroken \377 byte.\n' >>"$wd/minimal.md"
until_count kept 1
printf '\nA fixed paragraph [@art].\n' >>"$wd/good.md"
cp "$wd/good.md" "$wd/minimal.md"
until_count wrote 2
w2=$(wrote)
sed -i 's/^  summary: minimal.md$/  summary: later.md/' "$wd/minimal.yaml"
until_count kept 2
printf 'Written later [@art].\n' >"$wd/later.md"
until_count wrote 3
kill $wp 2>/dev/null
wait $wp; wst=$?
if [ $wst -eq 0 ] && [ "$w2" = 2 ] && [ "$(wrote)" = 3 ] && [ "$(kept)" = 2 ] &&
	grep -q 'minimal.md:.*invalid UTF-8' "$wd/log" &&
	pdftotext "$wd/w.pdf" - 2>/dev/null | grep -q "Written later"; then
	ok "watch builds again when a broken or missing commentary file is fixed"
else not_ok "watch builds again when a broken or missing commentary file is fixed" "exit $wst: $(cat "$wd/log")"; fi

# Ctrl-C while watch waits for another run's lock stops it at once, not
# after the 30 s the wait may last.
rm -f "$wd/held" "$wd/release" "$wd/w.pdf"
cp tests/fixtures/minimal.md "$wd/later.md"
python3 tests/hold-lock.py "$wd/.w.pdf.lock" "$wd/held" "$wd/release" &
holder=$!
k=0
while [ ! -e "$wd/held" ] && [ $k -lt 1000 ]; do sleep 0.01; k=$((k + 1)); done
"$BRIEFING" watch "$wd/minimal.yaml" -o "$wd/w.pdf" 2>"$wd/log" &
wp=$!
k=0
until readlink "/proc/$wp/fd/"* 2>/dev/null | grep -qF "/.w.pdf.lock"; do
	[ $k -lt 1000 ] || break
	sleep 0.01
	k=$((k + 1))
done
sleep 0.3
t0=$(date +%s%N)
kill -INT $wp
wait $wp; wst=$?
t1=$(date +%s%N)
: >"$wd/release"
wait $holder
ms=$(((t1 - t0) / 1000000))
if [ $k -lt 1000 ] && [ $wst -eq 0 ] && [ $ms -lt 5000 ] && [ ! -e "$wd/w.pdf" ] &&
	grep -q 'interrupted while another run was writing' "$wd/log"; then
	ok "Ctrl-C while watch waits for another run's lock stops it at once"
else not_ok "Ctrl-C while watch waits for another run's lock stops it at once" \
	"exit $wst after $ms ms (lock seen: $k): $(cat "$wd/log")"; fi

# --- two-sided printing ----------------------------------------------------------------
"$BRIEFING" build "$SAMPLE" -o "$tmp/dx.pdf" --duplex --template letter 2>"$tmp/dx.err"; st=$?
dpages=$(pdfinfo "$tmp/dx.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
bad="" blanks=0 k=1
while [ "$k" -le "${dpages:-0}" ]; do
	pdftotext -f "$k" -l "$k" "$tmp/dx.pdf" - 2>/dev/null >"$tmp/dxp.txt"
	grep -qx 'This page intentionally left blank' "$tmp/dxp.txt" && blanks=$((blanks + 1))
	for title in "Call readouts" "Preconditions" "Disputed breaches"; do
		# The heading (not the running header) sits on an odd page.
		if [ "$(grep -cx "$title" "$tmp/dxp.txt")" -ge 2 ] || { [ "$k" -eq 1 ] && grep -qx "$title" "$tmp/dxp.txt"; }; then
			[ $((k % 2)) -eq 1 ] || bad="$bad $title@$k"
		fi
	done
	k=$((k + 1))
done
if [ $st -eq 0 ] && [ -z "$bad" ] && [ "$blanks" -ge 1 ]; then
	ok "--duplex starts the core sections on right-hand pages, blanks marked"
else not_ok "--duplex starts the core sections on right-hand pages, blanks marked" "exit $st:$bad blanks=$blanks $(cat "$tmp/dx.err")"; fi
check "every footnote on the page of its marker (--duplex)" python3 tests/pdfnotes.py "$tmp/dx.pdf"
check "--duplex: page numbers on the outer edge, no running head on blank pages (tests/duplex.py)" \
	/usr/bin/python3 tests/duplex.py "$tmp/dx.pdf"
check "no number parted from its month or unit at a line end (Letter)" \
	/usr/bin/python3 tests/ties.py "$tmp/dx.pdf"
check "layout measured from the PDF (--duplex, Letter)" \
	python3 tests/pdflayout.py "$tmp/dx.pdf" --template templates/letter.yaml

# --- templates ------------------------------------------------------------------
"$BRIEFING" build "$SAMPLE" -o "$tmp/letter.pdf" --template letter 2>"$tmp/letter.err"; st=$?
size=$(pdfinfo "$tmp/letter.pdf" 2>/dev/null | sed -n 's/^Page size: *//p')
if [ $st -eq 0 ] && printf '%s' "$size" | grep -q '^612 x 792'; then
	ok "US Letter template"
else not_ok "US Letter template" "exit $st, size '$size': $(cat "$tmp/letter.err")"; fi
check "every footnote on the page of its marker (US Letter)" \
	python3 tests/pdfnotes.py "$tmp/letter.pdf"
check "layout measured from the PDF (sample, US Letter)" \
	python3 tests/pdflayout.py "$tmp/letter.pdf" --template templates/letter.yaml
check "full body lines average at most 80 characters, all text 10 mm from the edge, no page more than 60pt short, no two hyphens in a row (sample, US Letter)" \
	python3 tests/pdflayout.py "$tmp/letter.pdf" --template templates/letter.yaml --check measure edge fill hyphens
check "the whole notes gap between the text and the rule over the notes (sample, US Letter)" \
	/usr/bin/python3 tests/noterule.py "$tmp/letter.pdf" --template templates/letter.yaml
check "notes and sources list as Chicago sets them (sample, US Letter)" \
	python3 tests/chicago.py "$tmp/letter.pdf" --template templates/letter.yaml --facts "$SAMPLE"

# --- a French template: every word around the facts from its "strings" ---------------
# The sample in two editions (a breach's status changed) and in numbered
# copies, built with templates/a4-fr.yaml: the French words are in the
# PDF (the watermark read with MuPDF, which pdftotext leaves out), and no
# English default is (tests/furniture.py; it fails on the English sample,
# so it can fail).
fr=$tmp/french
rm -rf "$fr" && mkdir -p "$fr" && cp data/*.yaml data/*.md "$fr/"
"$BRIEFING" build "$fr/ceasefire-2025-03-18.yaml" -o "$fr/b.pdf" --template a4-fr 2>"$tmp/fr.err"; st1=$?
sed -i 's/^  edition: 1$/  edition: 2/; s/^    status: unverified$/    status: disputed/' "$fr/ceasefire-2025-03-18.yaml"
"$BRIEFING" build "$fr/ceasefire-2025-03-18.yaml" -o "$fr/b.pdf" --template a4-fr \
	--copies tests/fixtures/recipients.yaml 2>>"$tmp/fr.err"; st2=$?
fr_in="$fr/ceasefire-2025-03-18.yaml $(ls "$fr"/*.md)"
# shellcheck disable=SC2086
if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && [ ! -s "$tmp/fr.err" ] &&
	out=$(python3 tests/furniture.py "$fr/b.pdf" $fr_in --want "Page 1 sur 1" "Sommaire" \
		"Points clés" "Sources" "Situation au 19 mars 2025, 18 h 00 UTC" \
		"Édition 2 · Rédigé par Briefing desk" "Classification : UNCLASSIFIED" \
		"Modifications depuis l’édition 1" "Changement de statut (violation) : « " \
		", de « non vérifiée » à « contestée », p. " \
		"Appel du 18 mars 2025 : United States et Russia" "Où les comptes rendus divergent" \
		"Partie Exigence ou condition Date Statut" "CONTESTÉE" \
		"Report on Witkoff’s dismissal of Ukrainian breach claims. 19 mars 2025. Copie archivée" \
		"Non coté. Cité pp. " "Report on Putin’s halt to strikes on Ukraine’s energy grid, s.d., para. 1." \
		"Liste de diffusion (annexe)" "3 exemplaires numérotés ont été tirés de cet original" \
		"Exemplaire Destinataire Organisation Fichier") &&
	out=$(python3 tests/furniture.py "$fr/b-copy-01-committee.pdf" $fr_in \
		--want "Exemplaire 1 sur 3 — Foreign Affairs Committee") &&
	mutool draw -q -F txt -o - "$fr/b-copy-01-committee.pdf" 1 2>/dev/null |
		grep -qx 'EXEMPLAIRE 1 — FOREIGN AFFAIRS COMMITTEE' &&
	! python3 tests/furniture.py "$pdf" data/*.yaml data/*.md >/dev/null; then
	ok "a French template prints every word around the facts in French"
else not_ok "a French template prints every word around the facts in French" \
	"exit $st1/$st2: $(cat "$tmp/fr.err") $out"; fi
# A date pattern of numbers and a word left out.
cp templates/a4.yaml "$tmp/dates.yaml"
printf '%s\n' 'strings:' '  date: "{dd}.{mm}.{year}"' '  date_time: "{date} {hour}h{minute}"' \
	'  one_side: ""' >>"$tmp/dates.yaml"
"$BRIEFING" build tests/fixtures/minimal.yaml -o "$tmp/dates.pdf" --template "$tmp/dates.yaml" \
	2>"$tmp/dates.err"; st=$?
if [ $st -eq 0 ] && [ ! -s "$tmp/dates.err" ] &&
	has_texts "$tmp/dates.pdf" "As of 19.03.2025 18h00 Edition" "Call of 18.03.2025: United States" \
		"Example Outlet, 19.03.2025, https" >/dev/null; then
	ok "a template's date pattern writes every date"
else not_ok "a template's date pattern writes every date" "exit $st: $(cat "$tmp/dates.err")"; fi
# The first of a month: "1er" in French ("date_first"); a template that
# gives only "date" writes the first as any other day.
"$BRIEFING" build tests/fixtures/quotes.yaml -o "$tmp/first-fr.pdf" -t a4-fr -q 2>"$tmp/first.err"; st1=$?
"$BRIEFING" build tests/fixtures/quotes.yaml -o "$tmp/first-num.pdf" --template "$tmp/dates.yaml" -q \
	2>>"$tmp/first.err"; st2=$?
if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && has_texts "$tmp/first-fr.pdf" "Situation au 1er avril 2025, 09" >/dev/null &&
	has_texts "$tmp/first-num.pdf" "As of 01.04.2025 09h00" >/dev/null; then
	ok "the first of a month is 1er in French, and as any other day where the template says nothing"
else not_ok "the first of a month is 1er in French, and as any other day where the template says nothing" \
	"exit $st1/$st2: $(cat "$tmp/first.err")"; fi
check "layout measured from the PDF (sample, French template)" \
	python3 tests/pdflayout.py "$fr/b.pdf" --template templates/a4-fr.yaml

# --- commentary quotes in the template's marks --------------------------------------
# In the French template the commentary's quotations take its « » marks,
# with no-break spaces, as its notes do; one inside them keeps “ ”, and
# code prints as written; a character after them is still reported at its
# column.
fq=$tmp/french-quotes
rm -rf "$fq" && "$BRIEFING" init "$fq" >/dev/null 2>&1
printf '%s\n' 'Il a dit "bonjour à tous, même à “eux”" et 語 ici [@report]. Le code `“x”` reste.' >"$fq/context.md"
err=$("$BRIEFING" build "$fq/facts.yaml" -t a4-fr -o "$fq/o.pdf" 2>&1); st=$?
qt=$(pdftotext -enc UTF-8 "$fq/o.pdf" - 2>/dev/null | tr '\n' ' ')
if [ $st -eq 0 ] && case $qt in *"Il a dit « bonjour à tous, même à “eux” » et"*) true ;; *) false ;; esac &&
	case $qt in *"Le code “x” reste."*) true ;; *) false ;; esac &&
	printf '%s\n' "$err" | grep -q "context.md:1:44: warning: character U+8A9E"; then
	ok "commentary quotations take the French template's « » marks"
else not_ok "commentary quotations take the French template's « » marks" \
	"exit $st: $err | $(printf '%s' "$qt" | grep -o 'Il a dit.*ici')"; fi

# --- French spaces: no line starts with ; : ! ? » or ends with « ----------------------
# French sets a space before ; : ! ? and inside « »; typed as spaces, a
# line broke at them, and lines started with the mark.  Forty paragraphs
# of such sentences, in the a4-fr template: none does.
fs=$tmp/french-spaces
rm -rf "$fs" && "$BRIEFING" init "$fs" >/dev/null 2>&1
sed -i 's/^  title: A new briefing$/  title: Une note\n  lang: fr/' "$fs/facts.yaml"
/usr/bin/python3 - "$fs/context.md" <<'PY'
import sys
words = "entre difficiles est les longtemps restent paix la depuis mais possible parties négociations".split()
marks = [" ;", " :", " ?", " !", " « guillemets »"]
out = []
for p in range(40):
    ws = []
    for k in range(60):
        ws.append(words[(p * 7 + k * 5) % len(words)])
        if (p + k) % 4 == 3:
            ws[-1] += marks[(p + k) % len(marks)]
    out.append(" ".join(ws) + " [@report].")
open(sys.argv[1], "w", encoding="utf-8").write("\n\n".join(out) + "\n")
PY
"$BRIEFING" build "$fs/facts.yaml" -t a4-fr -o "$fs/o.pdf" -q 2>"$fs/err"; st=$?
bad=$(pdftotext -enc UTF-8 "$fs/o.pdf" - 2>/dev/null | grep -c '^[;:!?»]\|«$')
n=$(pdftotext -enc UTF-8 "$fs/o.pdf" - 2>/dev/null | grep -c 'guillemets')
if [ $st -eq 0 ] && [ "$bad" -eq 0 ] && [ "$n" -gt 40 ]; then
	ok "French spaces before ; : ! ? and inside « » never start or end a line"
else not_ok "French spaces before ; : ! ? and inside « » never start or end a line" \
	"exit $st, $bad lines start or end at one: $(cat "$fs/err")"; fi

# --- a stress document: long tables, crowded notes, a note longer than half
# a page, notes in tables, long URLs in narrow columns ---------------------
for tpl in a4 letter; do
	st_pdf=$tmp/stress-$tpl.pdf
	"$BRIEFING" build tests/fixtures/stress.yaml -o "$st_pdf" --template $tpl \
		2>"$tmp/stress.err"; st=$?
	if [ $st -eq 0 ] && [ "$(wc -l <"$tmp/stress.err")" -eq 1 ] &&
		grep -q '^tests/fixtures/stress.yaml:1059:66: warning: "Eastfieldnorth.*" is wider than its column' "$tmp/stress.err"; then
		ok "stress document builds ($tpl) with only the wide-word warning"
	else not_ok "stress document builds ($tpl) with only the wide-word warning" "exit $st: $(cat "$tmp/stress.err")"; fi
	check "layout measured from the PDF (stress, $tpl)" \
		python3 tests/pdflayout.py "$st_pdf" --template templates/$tpl.yaml
	check "measure, edge, fill and hyphens measured from the PDF (stress, $tpl)" \
		python3 tests/pdflayout.py "$st_pdf" --template templates/$tpl.yaml --check measure edge fill hyphens
	check "note numbers after punctuation (stress, $tpl)" \
		python3 tests/markers.py "$st_pdf"
	check "the whole notes gap between the text and the rule over the notes (stress, $tpl)" \
		/usr/bin/python3 tests/noterule.py "$st_pdf" --template templates/$tpl.yaml
	check "notes and sources list as Chicago sets them (stress, $tpl)" \
		python3 tests/chicago.py "$st_pdf" --template templates/$tpl.yaml --facts tests/fixtures/stress.yaml
	check "no number parted from its month or unit at a line end (stress, $tpl)" \
		/usr/bin/python3 tests/ties.py "$st_pdf"
done
if pdftotext "$tmp/stress-letter.pdf" - 2>/dev/null | grep -q '^Note [0-9]*, continued'; then
	ok "a note too long for its page continues on the next"
else not_ok "a note too long for its page continues on the next"; fi

# --- one line citing more notes than fit on a page ---------------------------------
# 80 citations in a row on one line of the summary box, and 40 notes of
# three lines each on one line of a section's commentary: the notes the
# page cannot hold go on, in order, at the foot of the following pages
# (the one that crosses the page break under "Note N, continued"), the
# markers break between them where they are wider than the line, and
# nothing is drawn outside the text area or over other text.
mn=$tmp/many-notes
mkdir -p "$mn"
python3 - "$mn" <<'PY'
import os, sys
d = sys.argv[1]
base = open("tests/fixtures/minimal.yaml").read()
def facts(name, prefix, n, title, summary, context=None):
    src = "".join("  - id: %s%d\n    outlet: Example Outlet %d\n    author: A. Writer\n"
                  "    title: %s\n    date: 2025-03-19\n    url: https://example.org/%s/%d\n"
                  % (prefix, i, i, title % i, prefix, i) for i in range(1, n + 1))
    y = base.replace("sources:\n", "sources:\n" + src, 1)
    y = y.replace("  summary: minimal.md",
                  "  commentary:\n    context: %s-context.md\n  summary: %s-summary.md" % (name, name))
    for part, text in (("summary", summary), ("context", context or "Nothing to add.\n")):
        with open(os.path.join(d, "%s-%s.md" % (name, part)), "w") as f:
            f.write(text)
    with open(os.path.join(d, name + ".yaml"), "w") as f:
        f.write(y)
def cites(prefix, n):
    return "".join(" [@%s%d]" % (prefix, i) for i in range(1, n + 1))
lead = "The call was described as productive [@art].\n\n"
facts("box80", "s", 80, "An example article number %d about the grid",
      lead + "Many outlets reported it" + cites("s", 80) + ".\n\nAfter the line.\n")
para = " ".join(["The grid held overnight, officials said, and repairs went on."] * 12)
facts("long40", "t", 40,
      "A long report, number %d, on the grid, the strikes on energy sites, the talks "
      "in Jeddah and what each side said of the pause afterwards, with the officials' "
      "statements quoted at length", lead,
      para + " [@art]\n\nMany outlets reported it" + cites("t", 40) + ".\n\n" + para + "\n")
PY
for mcase in box80:a4:80 box80:letter:80 long40:a4:40 long40:letter:40; do
	mname=${mcase%%:*} mtpl=${mcase#*:}; mtpl=${mtpl%:*} mlast=${mcase##*:}
	mp=$mn/$mname-$mtpl.pdf
	what="one line with $mlast notes ($mname, $mtpl)"
	"$BRIEFING" build "$mn/$mname.yaml" -o "$mp" --template "$mtpl" \
		2>"$mn/$mname-$mtpl.err"; st=$?
	# The page of the line with the markers and that of its last note
	# (whose words may wrap across lines).
	pages=$(pdftotext "$mp" - 2>/dev/null | python3 -c '
import sys
note = ",\u201d Example Outlet %s," % sys.argv[1]
pages = [" ".join(p.split()) for p in sys.stdin.read().split("\f")]
m = next((i + 1 for i, p in enumerate(pages) if "reported" in p), 0)
n = next((i + 1 for i, p in enumerate(pages) if note in p), 0)
print(m, n)' "$mlast")
	mpage=${pages% *} npage=${pages#* }
	if [ $st -eq 0 ] && [ ! -s "$mn/$mname-$mtpl.err" ] && [ "$mpage" -ge 1 ] &&
		[ "$npage" -gt "$mpage" ]; then
		ok "$what: its notes go on to the following pages, no warning"
	else not_ok "$what: its notes go on to the following pages, no warning" \
		"exit $st, marker line on page $mpage, last note on page $npage: $(head -3 "$mn/$mname-$mtpl.err")"; fi
	check "$what: nothing outside the text area or overlapping" \
		python3 tests/pdflayout.py "$mp" --template "$mtpl" --check area overlap
	check "$what: every note once, in order, on or after its marker's page" \
		python3 tests/pdfnotes.py "$mp" --notes-may-follow
done
if pdftotext "$mn/long40-a4.pdf" - 2>/dev/null | grep -q '^Note [0-9]*, continued'; then
	ok "a note of a line with too many notes continues across the page break"
else not_ok "a note of a line with too many notes continues across the page break"; fi

size=$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Page size: *//p')
if printf '%s' "$size" | grep -q '(A4)'; then ok "A4 is the default"
else not_ok "A4 is the default" "size '$size'"; fi

sed 's/^paper: a4/paper: [148mm, 210mm]/; s/^name: A4/name: A5 test/' templates/a4.yaml >"$tmp/a5.yaml"
sed -i "s|^  serif: \[NotoSerif-Regular.ttf,|  serif: [/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf,|" "$tmp/a5.yaml"
"$BRIEFING" build tests/fixtures/minimal.yaml -o "$tmp/a5.pdf" --template "$tmp/a5.yaml" 2>"$tmp/a5.err"; st=$?
size=$(pdfinfo "$tmp/a5.pdf" 2>/dev/null | sed -n 's/^Page size: *//p')
if [ $st -eq 0 ] && printf '%s' "$size" | grep -q '^419.5[0-9]* x 595.2'; then
	ok "a template given by path sets the paper"
else not_ok "a template given by path sets the paper" "exit $st, size '$size': $(cat "$tmp/a5.err")"; fi

# --- missing glyphs in notes and body: one warning each, at its first place ---------
# The notes are set before the body: a character missing from the font
# is reported once, where the notes meet it first: the apostrophe in a
# source's description, at its column in the fact file, not in the
# commentary; a title's characters at theirs, though the notes set the
# title in headline style.
sed 's|^  serif: .*|  serif: NotoSansMath-Regular.ttf|' templates/a4.yaml >"$tmp/math.yaml"
"$BRIEFING" build "$SAMPLE" -o "$tmp/math.pdf" --template "$tmp/math.yaml" 2>"$tmp/math.err"
st=$?
# The bullet, a character of the program's own, is reported at the
# template's serif font.
serif_at=$(grep -n '^  serif: ' "$tmp/math.yaml" | cut -d: -f1)
{ cat <<'WANT'
data/ceasefire-2025-03-18.yaml:47:41: warning: character U+02BC ("ʼ") is not in the serif font; it prints as a box
data/ceasefire-2025-03-18.yaml:47:68: warning: character U+2014 ("—") is not in the serif font; it prints as a box
data/ceasefire-2025-03-18.yaml:54:12: warning: character U+201C ("“") is not in the serif font; it prints as a box
data/ceasefire-2025-03-18.yaml:54:12: warning: character U+201D ("”") is not in the serif font; it prints as a box
data/ceasefire-2025-03-18.yaml:72:36: warning: character U+2019 ("’") is not in the serif font; it prints as a box
data/ceasefire-2025-03-18.yaml:72:59: warning: character U+2013 ("–") is not in the serif font; it prints as a box
data/ceasefire-2025-03-18.yaml:172:13: warning: character U+2018 ("‘") is not in the serif font; it prints as a box
data/ceasefire-2025-03-18.yaml:288:21: warning: character U+2026 ("…") is not in the serif font; it prints as a box
WANT
  echo "$tmp/math.yaml:$serif_at:10: warning: character U+2022 (\"•\") is not in the serif font; it prints as a box"
} >"$tmp/math.want"
if [ $st -eq 0 ] && cmp -s "$tmp/math.want" "$tmp/math.err"; then
	ok "missing glyphs: one warning each, notes first"
else not_ok "missing glyphs: one warning each, notes first" \
	"exit $st: $(diff "$tmp/math.want" "$tmp/math.err")"; fi

# --- hundreds of headings in a row break across pages -----------------------------
# Each heading keeps with what follows it; a chain of them taller than a
# page must still break where the page is full, not run below the paper.
sed 's/^  summary: minimal.md/  summary: minimal.md\n  commentary:\n    context: parts.md/' \
	tests/fixtures/minimal.yaml >"$tmp/parts.yaml"
cp tests/fixtures/minimal.md "$tmp/"
{ for k in $(seq 0 299); do printf '## Part %d\n\n' "$k"; done; echo 'The end [@art].'; } >"$tmp/parts.md"
"$BRIEFING" build "$tmp/parts.yaml" -o "$tmp/parts.pdf" 2>"$tmp/parts.err"; st=$?
pdftotext "$tmp/parts.pdf" "$tmp/parts.txt" 2>/dev/null
missing=$(for k in $(seq 0 299); do echo "Part $k"; done |
	grep -vxFf "$tmp/parts.txt" | head -3)
if [ $st -eq 0 ] && [ ! -s "$tmp/parts.err" ] && [ -z "$missing" ] &&
	[ "$(pdfinfo "$tmp/parts.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')" -ge 10 ]; then
	ok "300 headings in a row break across pages, each on a page"
else not_ok "300 headings in a row break across pages, each on a page" \
	"exit $st, missing: $missing; $(head -3 "$tmp/parts.err")"; fi

# A character missing from the font in a heading is reported at the
# heading, at its own column, although its contents entry (the serif
# font's use of it) is set first.
printf '## Checked \342\234\223 twice\n\nText [@art].\n' >"$tmp/parts.md"
"$BRIEFING" build "$tmp/parts.yaml" -o "$tmp/parts.pdf" 2>"$tmp/parts.err"; st=$?
if [ $st -eq 0 ] && ! grep -q '^briefing: warning' "$tmp/parts.err" &&
	grep -qF "$tmp/parts.md:1:12: warning: character U+2713 (\"✓\") is not in the serif font" "$tmp/parts.err"; then
	ok "a missing glyph in a heading is reported at the heading"
else not_ok "a missing glyph in a heading is reported at the heading" "exit $st: $(cat "$tmp/parts.err")"; fi

# --- a title too long for the running header is shortened with an ellipsis -------
long_title="The partial ceasefire on energy infrastructure after the call of 18 March 2025, what each side said it agreed to, the conditions each side set, and every breach alleged since then"
sed "s/^  title: Minimal briefing/  title: $long_title/" tests/fixtures/minimal.yaml >"$tmp/longtitle.yaml"
cp tests/fixtures/minimal.md "$tmp/"
"$BRIEFING" build "$tmp/longtitle.yaml" -o "$tmp/longtitle.pdf" 2>"$tmp/longtitle.err"; st=$?
head=$(pdftotext -f 2 -l 2 -layout "$tmp/longtitle.pdf" - 2>/dev/null | grep -m1 '…' | sed 's/….*//')
# The header keeps whole the longest start of the title that fits, cut
# at a word's end: what follows the start in the title is a space.
rest=${long_title#"$head"}
if [ $st -eq 0 ] && [ -n "$head" ] && [ "${#head}" -ge 40 ] &&
	case "$long_title" in "$head"*) true ;; *) false ;; esac &&
	case "$rest" in " "*) true ;; *) false ;; esac &&
	case "$head" in *[,\ ] | *" of" | *" the" | *" and" | *" on" | *" after") false ;; *) true ;; esac &&
	! pdftotext -f 2 -l 2 "$tmp/longtitle.pdf" - 2>/dev/null | grep -qF "$long_title"; then
	ok "a title too long for the running header ends in an ellipsis, after a whole word, not a small one"
else not_ok "a title too long for the running header ends in an ellipsis, after a whole word, not a small one" \
	"exit $st, header '$head': $(cat "$tmp/longtitle.err")"; fi
# A title that fits beside the section's name in the header is not cut:
# the slots take the room their text needs.
if pdftotext -f 3 -l 3 "$pdf" - 2>/dev/null |
	grep -qF "The Trump–Putin call of 18 March 2025 and the partial ceasefire"; then
	ok "the running header gives the title the room the section's name leaves"
else not_ok "the running header gives the title the room the section's name leaves" \
	"$(pdftotext -f 3 -l 3 "$pdf" - | head -3)"; fi
# A short title is the running head; the title page keeps the title.
sed "s/^  title: Minimal briefing/  title: $long_title\n  short_title: The ceasefire on energy/" \
	tests/fixtures/minimal.yaml >"$tmp/shorttitle.yaml"
"$BRIEFING" build "$tmp/shorttitle.yaml" -o "$tmp/shorttitle.pdf" 2>"$tmp/shorttitle.err"; st=$?
head2=$(pdftotext -f 2 -l 2 -layout "$tmp/shorttitle.pdf" - 2>/dev/null | grep -m1 'The ceasefire on energy')
if [ $st -eq 0 ] && [ ! -s "$tmp/shorttitle.err" ] && [ -n "$head2" ] &&
	! pdftotext -f 2 -l 2 "$tmp/shorttitle.pdf" - 2>/dev/null | grep -q '…' &&
	pdftotext -f 1 -l 1 "$tmp/shorttitle.pdf" - 2>/dev/null | tr '\n' ' ' | grep -qF "$long_title"; then
	ok "short_title is the running head, the title stays on the first page"
else not_ok "short_title is the running head, the title stays on the first page" \
	"exit $st: $(cat "$tmp/shorttitle.err") $(pdftotext -f 2 -l 2 "$tmp/shorttitle.pdf" - | head -3)"; fi

# --- a long table: each message once, from the first row that causes it ------------
{
	sed -n '1,/^breaches:/p' tests/fixtures/minimal.yaml |
		sed 's/“energy and infrastructure”/energy and infrastructure/'
	for k in $(seq 0 119); do
		c="Strikes continued in row $k."
		case $k in
		5 | 90) c="Strikes continued … row $k." ;;
		40 | 41) c="Strikes continued — row $k." ;;
		110) c="Strikes • continued in row $k." ;;
		60) c="Strikes Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa." ;;
		80) c="Strikes ʼ Bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb." ;;
		esac
		printf '  - id: b%d\n    date: 2025-03-18\n    alleged_by: us\n    accused: ru\n    claim: %s\n    status: disputed\n    sources: [art]\n' "$k" "$c"
	done
} >"$tmp/rows.yaml"
cp tests/fixtures/minimal.md "$tmp/"
sed 's|^  serif: .*|  serif: NotoSansMath-Regular.ttf|; s|^  sans: .*|  sans: NotoSansMath-Regular.ttf|' \
	templates/a4.yaml >"$tmp/rowsfont.yaml"
SOURCE_DATE_EPOCH=1 "$BRIEFING" build "$tmp/rows.yaml" -o "$tmp/rows.pdf" --template "$tmp/rowsfont.yaml" \
	2>"$tmp/rows.err"
st=$?
h=$(grep -n '^breaches:' "$tmp/rows.yaml" | cut -d: -f1)
claim() { echo "$tmp/rows.yaml:$((h + 7 * $1 + 5)):${2:-12}"; }
{
	echo "$tmp/rows.yaml:4:12: warning: character U+00B7 (\"·\") is not in the sans font; it prints as a box"
	# The quotation marks around the source's title in its first note.
	echo "$tmp/rows.yaml:17:12: warning: character U+201C (\"“\") is not in the serif font; it prints as a box"
	echo "$tmp/rows.yaml:17:12: warning: character U+201D (\"”\") is not in the serif font; it prints as a box"
	# The mark of an empty cell: the precondition's date, not stated.
	echo "$tmp/rows.yaml:31:5: warning: character U+2014 (\"—\") is not in the sans font; it prints as a box"
	echo "$(claim 5 30): warning: character U+2026 (\"…\") is not in the sans font; it prints as a box"
	echo "$(claim 60 20): warning: \"Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…\" is wider than its column (334 pt > 172 pt); it is broken across lines"
	echo "$(claim 80 20): warning: character U+02BC (\"ʼ\") is not in the sans font; it prints as a box"
	echo "$(claim 80 22): warning: \"Bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb…\" is wider than its column (400 pt > 172 pt); it is broken across lines"
	echo "$(claim 110 20): warning: character U+2022 (\"•\") is not in the sans font; it prints as a box"
} >"$tmp/rows.want"
if [ $st -eq 0 ] && cmp -s "$tmp/rows.want" "$tmp/rows.err"; then
	ok "a long table of 120 rows: each message once, at its first row"
else not_ok "a long table of 120 rows: each message once, at its first row" \
	"exit $st: $(diff "$tmp/rows.want" "$tmp/rows.err")"; fi
# Every row is in the PDF once, in the order of the fact file.
got=$(pdftotext "$tmp/rows.pdf" - 2>/dev/null | grep -o 'row [0-9]*\.' | tr -dc '0-9\n' | tr '\n' ' ')
want=$(seq 0 119 | grep -vxE '60|80' | tr '\n' ' ')
if [ "$got" = "$want" ]; then
	ok "a long table of 120 rows: every row once, in order"
else not_ok "a long table of 120 rows: every row once, in order" "got: $got"; fi

# A column of one letter beside one of long text, beside a word wider
# than the page, and beside three such words: each column keeps room for
# its letter, the words are broken across lines, and the build succeeds,
# as check said it would.
nc=$tmp/narrow-column
mkdir -p "$nc"
cp tests/fixtures/minimal.yaml tests/fixtures/minimal.md "$nc/"
{
	printf 'Before the table [@art].\n\n| a | b |\n|---|---|\n'
	printf '| x | %s |\n' "$(for i in $(seq 40); do printf 'word%d lorem ipsum ' "$i"; done)"
	printf '| y | %s |\n' "$(printf 'abcdefghij%.0s' $(seq 20))"
	# Four columns whose widest words are wider than the page together.
	w=$(printf 'abcdefghij%.0s' $(seq 20))
	printf '\n| x | a | b | c |\n|---|---|---|---|\n| x | %s | %s | %s |\n' "$w" "$w" "$w"
} >"$nc/context.md"
sed -i 's|^  summary: \(.*\)|  summary: \1\n  commentary:\n    context: context.md|' "$nc/minimal.yaml"
"$BRIEFING" build "$nc/minimal.yaml" -o "$nc/o.pdf" 2>"$nc/err"; st=$?
if [ $st -eq 0 ] && ! grep -q 'padding' "$nc/err" && grep -q 'is wider than its column' "$nc/err" &&
	pdftotext -layout "$nc/o.pdf" - | grep -q '^ *x  *word1 lorem ipsum'; then
	ok "a one-letter column beside long text and a word wider than the page"
else not_ok "a one-letter column beside long text and a word wider than the page" \
	"exit $st: $(cat "$nc/err")"; fi

# A character no font has, in words compose makes of the fact file's and
# the template's: a party's name in a heading and a table cell, a month's
# name in a date, the footer.  Each warning is at the character where it
# is written, from build and from check alike (one case each, as each
# character is reported once per face).
mo=$tmp/missing-origins
mkdir -p "$mo"
k=$(printf '\340\246\225')
cp tests/fixtures/minimal.md "$mo/"
# file:line:column of the first U+0995 in FILE (columns count characters)
at_k() { python3 -c '
import sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    if "\u0995" in line:
        print("%s:%d:%d" % (sys.argv[1], n, line.index("\u0995") + 1)); break' "$1"; }
for case in name month footer; do
	cp tests/fixtures/minimal.yaml "$mo/$case.yaml"
	cp templates/a4.yaml "$mo/$case-t.yaml"
	case $case in
	name) sed -i "s/^    name: Russia$/    name: Russia $k/" "$mo/$case.yaml"; want=$(at_k "$mo/$case.yaml") ;;
	month) printf 'strings:\n  months: [January, February, March%s, April, May, June, July, August, September, October, November, December]\n' \
		"$k" >>"$mo/$case-t.yaml"; want=$(at_k "$mo/$case-t.yaml") ;;
	footer) sed -i "s/right: \"Page {page} of {pages}\"/right: \"Page$k {page} of {pages}\"/" "$mo/$case-t.yaml"
		want=$(at_k "$mo/$case-t.yaml") ;;
	esac
	for what in build check; do
		if [ $what = build ]; then
			"$BRIEFING" build "$mo/$case.yaml" -t "$mo/$case-t.yaml" -o "$mo/$case.pdf" 2>"$mo/$case.err"
		else "$BRIEFING" check "$mo/$case.yaml" -t "$mo/$case-t.yaml" 2>"$mo/$case.err"; fi
		got=$(grep 'U+0995' "$mo/$case.err" | sed 's/: warning: .*//' | sort -u)
		if [ -n "$want" ] && [ "$got" = "$want" ]; then
			ok "$what: a missing character in the $case is reported where it is written ($(grep -c U+0995 "$mo/$case.err") faces)"
		else not_ok "$what: a missing character in the $case is reported where it is written" \
			"want $want; got: $got"; fi
	done
done

# Patterns missing for the language of words in another script: the
# warning is at the first word that needs them, not at its paragraph.
gh=$tmp/greek-hyphens
mkdir -p "$gh"
cp tests/fixtures/minimal.yaml tests/fixtures/minimal.md "$gh/"
greek=$(printf '\316\267 \317\203\317\205\316\274\317\206\317\211\316\275\316\257\316\261 \316\261\317\200\316\277\317\204\316\265\316\273\316\265\316\257 \316\271\317\203\317\204\316\277\317\201\316\271\316\272\316\256 \316\265\317\205\316\272\316\261\316\271\317\201\316\257\316\261')
printf 'The coverage was sympathetic, and it quoted a statement at length: %s, %s, %s.\n' \
	"$greek" "$greek" "$greek" >"$gh/context.md"
sed -i 's|^  summary: \(.*\)|  summary: \1\n  commentary:\n    context: context.md|' "$gh/minimal.yaml"
if ls /usr/share/hyphen/hyph_el* >/dev/null 2>&1; then
	ok "Greek words without patterns: hyphen-el is installed here, so there is nothing to report"
else
	"$BRIEFING" build "$gh/minimal.yaml" -o "$gh/o.pdf" 2>"$gh/err"
	col=$(($(printf 'The coverage was sympathetic, and it quoted a statement at length: \316\267 ' | wc -m) + 1))
	if grep -q "^$gh/context.md:1:$col: warning: no hyphenation patterns for \"el\".*(install hyphen-el)" "$gh/err"; then
		ok "no patterns for Greek words: the warning is at the first one that needs them (1:$col) and names hyphen-el"
	else not_ok "no patterns for Greek words: the warning is at the first one that needs them" \
		"want 1:$col; $(cat "$gh/err")"; fi
fi

# A briefing in a language whose patterns are not installed: check warns
# at "lang" as build does, naming Debian's package, whether or not a word
# would need them.
if ls /usr/share/hyphen/hyph_de* >/dev/null 2>&1; then
	ok "German without patterns: hyphen-de is installed here, so there is nothing to report"
else
	sed 's|^  summary: \(.*\)|  summary: \1\n  lang: de|' tests/fixtures/minimal.yaml >"$gh/de.yaml"
	"$BRIEFING" check "$gh/de.yaml" 2>"$gh/de-check.err"; st=$?
	"$BRIEFING" build "$gh/de.yaml" -o "$gh/de.pdf" 2>"$gh/de-build.err"
	want="$gh/de.yaml:8:9: warning: no hyphenation patterns for \"de\" in /usr/share/hyphen (install hyphen-de); words are not hyphenated"
	if [ $st -eq 0 ] && grep -qxF "$want" "$gh/de-check.err" && grep -qxF "$want" "$gh/de-build.err"; then
		ok "check and build warn at lang: de that hyphen-de is missing"
	else not_ok "check and build warn at lang: de that hyphen-de is missing" \
		"exit $st: $(cat "$gh/de-check.err" "$gh/de-build.err")"; fi
fi

# --- More readouts and parties than fit side by side ---------------------------------
# Nine readouts and nine parties with positions: every one is printed, in
# tables of at most eight columns, with each note on its marker's page.
np=$tmp/nine.pdf
"$BRIEFING" build tests/fixtures/nine-parties.yaml -o "$np" 2>"$tmp/nine.err"; st=$?
: >"$tmp/nine.verify"
nine_want=""
for p in one two three four five six seven eight nine; do
	nine_want="$nine_want|Readout point 1 of party $p.|Position of party $p on energy."
done
# Each cell's text read through the tagged PDF's structure tree: pdftotext
# reads a line across the columns, so a cell's wrapped text comes apart.
nine_got=$(pdfinfo -struct-text "$np" 2>/dev/null)
nine_missing=$(printf '%s\n' "$nine_want" | tr '|' '\n' | sed '/^$/d' |
	while IFS= read -r t; do
		case $nine_got in *"$t"*) ;; *) echo "no \"$t\"" ;; esac
	done)
if [ $st -eq 0 ] && [ ! -s "$tmp/nine.err" ] && [ -z "$nine_missing" ] &&
	has_texts "$np" "Party Nine: Office Nine readout" "Readout point 2 of" \
		"Position of party nine on ports." >"$tmp/nine.verify" 2>&1; then
	ok "nine readouts and nine parties' positions: every one printed"
else not_ok "nine readouts and nine parties' positions: every one printed" \
	"exit $st: $(cat "$tmp/nine.err" "$tmp/nine.verify") $nine_missing"; fi
check "nine readouts and nine parties: layout measured from the PDF" \
	python3 tests/pdflayout.py "$np" --template templates/a4.yaml
# The call's contents entry, naming the nine parties, is too long for a
# line: it wraps, the lines after the first indented further, the page
# number and leaders on the last; no party is cut off with an ellipsis.
if out=$(/usr/bin/python3 -c '
import sys
sys.path.insert(0, "tests")
from pdflines import baselines
rows = [sorted(r, key=lambda c: c["origin"][0]) for y, r in sorted(baselines(sys.argv[1], 0).items())]
text = ["".join(c["c"] for c in r) for r in rows]
first = next((i for i, t in enumerate(text) if t.startswith("Call of 18 March 2025")), None)
if first is None:
    sys.exit("no contents entry for the call")
last = next(i for i in range(first, len(text)) if "." in text[i].replace("Call of", "") and text[i].rstrip()[-1].isdigit())
words = " ".join(t.rstrip(" .0123456789") for t in text[first:last + 1])
x = [rows[i][0]["origin"][0] for i in range(first, last + 1)]
print("%d lines, from %.1f pt, then %s pt" % (last - first + 1, x[0], ", ".join("%.1f" % v for v in x[1:])))
sys.exit(not (last > first and "Nine" in words and "\u2026" not in words and all(v > x[0] + 5 for v in x[1:])))
' "$np" 2>&1); then
	ok "a contents entry too long for a line wraps, indented, its page number on the last ($out)"
else not_ok "a contents entry too long for a line wraps, indented, its page number on the last" "$out"; fi
# A heading holding an address longer than a line: its contents entry
# breaks the address before a hyphen or a slash, as Chicago breaks one
# (7.47): no line ends with a hyphen for a reader of the text to take for
# a word broken there and drop.  No word is lost to an ellipsis.
tl=$tmp/toc-long-word
mkdir -p "$tl"
cp tests/fixtures/minimal.md "$tl/"
sed 's|^  summary: \(.*\)|  summary: \1\n  commentary:\n    context: c.md|' tests/fixtures/minimal.yaml >"$tl/m.yaml"
printf '## The statement at president.gov.ua/en/news/zvernennya-prezidenta-ukrayini-shodo-peregovoriv-z-rosiyeyu-pro-prypynennya-vognyu-96789 and its reception\n\nText.\n' >"$tl/c.md"
if "$BRIEFING" build "$tl/m.yaml" -o "$tl/o.pdf" -q &&
	toc=$(pdftotext -f 1 -l 1 "$tl/o.pdf" - | sed -n '/^Contents$/,/^Call readouts/p') &&
	! printf '%s' "$toc" | grep -q '…' && ! printf '%s\n' "$toc" | grep -q -- '-$' &&
	printf '%s' "$toc" | tr -d '\n' | grep -q 'The statement atpresident\.gov\.ua/en/news/zvernennya-prezidenta-ukrayini-shodo-peregovoriv-z-rosiyeyu-pro-prypynennya-vognyu-96789 and its reception'; then
	ok "a contents entry breaks a long address before a hyphen or a slash, losing no word"
else not_ok "a contents entry breaks a long address before a hyphen or a slash, losing no word" "${toc:-the build failed}"; fi

# --- commentary in GitHub Markdown: pipe tables, footnotes, strikethrough ------------
# tests/fixtures/gfm.yaml: a pipe table aligned left, right and centre
# with notes in its cells, a footnote of the analyst's cited twice with a
# citation and a link inside, an undefined footnote, struck text,
# autolinks, and a 60-row table with a citation in every row.
gfm=$tmp/gfm.pdf
"$BRIEFING" build tests/fixtures/gfm.yaml -o "$gfm" 2>"$tmp/gfm.err"; st=$?
if [ $st -eq 0 ] && [ "$(cat "$tmp/gfm.err")" = \
	'tests/fixtures/gfm-context.md:11:60: warning: footnote "[^later]" has no definition and prints as written; define it on a line of its own: "[^later]: text"' ]; then
	ok "commentary in GitHub Markdown builds; an undefined footnote is a warning at its \"[\""
else not_ok "commentary in GitHub Markdown builds" "exit $st: $(cat "$tmp/gfm.err")"; fi
check "pipe tables aligned, headers repeated, footnotes as notes, struck text (tests/gfm.py)" \
	/usr/bin/python3 tests/gfm.py "$gfm"
check "every footnote on the page of its marker (pipe table over pages)" \
	python3 tests/pdfnotes.py "$gfm"
check "note numbers after punctuation, after citations, links and footnotes" \
	python3 tests/markers.py "$gfm"
gfm_pages=$(pdfinfo "$gfm" 2>/dev/null | sed -n 's/^Pages: *//p')
if [ "${gfm_pages:-0}" -ge 4 ]; then ok "the 60-row pipe table runs over pages ($gfm_pages)"
else not_ok "the 60-row pipe table runs over pages" "pages: $gfm_pages"; fi
check "layout measured from the PDF (pipe tables)" \
	python3 tests/pdflayout.py "$gfm" --template templates/a4.yaml

# --- figures in the commentary ----------------------------------------------------
# tests/fixtures/figures.yaml: a paragraph of one image is a figure. PNGs
# (RGB, alpha, grey, palette, interlaced, wider than the column) and JPEGs
# (baseline at {width=40%}, progressive), one PNG and one JPEG shown twice,
# and a figure that does not fit at the foot of its page: it waits for the
# next one while the text after it without notes fills the page, and the
# text with notes follows it.
fig=$tmp/figures.pdf
fig_warn() { # LINE:COL FILE DPI: the warning for an image under 150 dpi
	printf 'tests/fixtures/figures-context.md:%s: warning: image "tests/fixtures/images/%s" prints at %s dpi at this size; under 150 it looks blurred on paper: use one with more pixels, or ask for less with {width=N%%}\n' "$1" "$2" "$3"
}
fig_want=$(fig_warn 7:1 photo.jpg 136; fig_warn 15:1 rgba8.png 96; fig_warn 27:1 progressive.jpg 96)
"$BRIEFING" build tests/fixtures/figures.yaml -o "$fig" -M "$tmp/figures.d" 2>"$tmp/figures.err"; st=$?
if [ $st -eq 0 ] && [ "$(cat "$tmp/figures.err")" = "$fig_want" ]; then
	ok "figures build; each image printed under 150 dpi is a warning at its \"!\""
else not_ok "figures build; each image printed under 150 dpi is a warning at its \"!\"" \
	"exit $st: $(cat "$tmp/figures.err")"; fi
check "figures embedded once, captioned, centred, sized, floated and tagged (tests/figures.py)" \
	/usr/bin/python3 tests/figures.py "$fig"
check "figures: every footnote on the page of its marker, in order" \
	python3 tests/pdfnotes.py "$fig"
check "layout measured from the PDF (figures)" \
	python3 tests/pdflayout.py "$fig" --template templates/a4.yaml
fig_deps=""
for f in rgb8.png photo.jpg rgba8.png grey8.png palette4.png progressive.jpg interlaced.png wide.png; do
	grep -q "^  tests/fixtures/images/$f\( \\\\\)\{0,1\}\$" "$tmp/figures.d" || fig_deps="$fig_deps $f"
done
if [ -z "$fig_deps" ] && [ "$(grep -c 'images/' "$tmp/figures.d")" -eq 16 ]; then
	ok "-M lists every image a figure shows, once"
else not_ok "-M lists every image a figure shows, once" "missing:$fig_deps; $(cat "$tmp/figures.d")"; fi
out=$("$BRIEFING" check tests/fixtures/figures.yaml 2>&1); st=$?
if [ $st -eq 0 ] && [ "$(printf '%s\n' "$out" | tail -1)" = "tests/fixtures/figures.yaml: ok" ] &&
	[ "$(printf '%s\n' "$out" | sed '$d')" = "$(cat "$tmp/figures.err")" ]; then
	ok "check reads the figures' images and gives build's warnings, exit 0"
else not_ok "check reads the figures' images and gives build's warnings, exit 0" "exit $st: $out"; fi
# An image is an input: --if-changed rebuilds when one changes, and only then.
fw=$tmp/figures-work
rm -rf "$fw" && mkdir -p "$fw" && cp -R tests/fixtures/figures.yaml tests/fixtures/figures-*.md \
	tests/fixtures/minimal.md tests/fixtures/images "$fw/"
"$BRIEFING" build "$fw/figures.yaml" -o "$fw/f.pdf" --if-changed 2>/dev/null; st=$?
stamp=$(stat -c %.9Y "$fw/f.pdf" 2>/dev/null)
sleep 0.02
out=$("$BRIEFING" build "$fw/figures.yaml" -o "$fw/f.pdf" --if-changed 2>&1); st2=$?
if [ $st -eq 0 ] && [ $st2 -eq 0 ] && [ "$out" = "$fw/f.pdf is up to date" ] &&
	[ "$(stat -c %.9Y "$fw/f.pdf")" = "$stamp" ]; then
	ok "--if-changed leaves a PDF with figures untouched when no image changed"
else not_ok "--if-changed leaves a PDF with figures untouched when no image changed" \
	"exit $st/$st2: $out"; fi
cp "$fw/f.pdf" "$fw/before.pdf"
cp "$fw/images/grey8.png" "$fw/images/interlaced.png" # same size, other pixels
out=$("$BRIEFING" build "$fw/figures.yaml" -o "$fw/f.pdf" --if-changed 2>&1); st=$?
if [ $st -eq 0 ] && ! printf '%s' "$out" | grep -q 'up to date' &&
	[ "$(stat -c %.9Y "$fw/f.pdf")" != "$stamp" ] && ! cmp -s "$fw/f.pdf" "$fw/before.pdf"; then
	ok "--if-changed rebuilds after an image is replaced"
else not_ok "--if-changed rebuilds after an image is replaced" "exit $st: $out"; fi
rm -f "$fw/before.pdf"

# A phone's photograph stored on its side (EXIF orientation 6) prints
# upright: read back from MuPDF's rendering.
"$BRIEFING" build tests/fixtures/fact-figures.yaml -o "$tmp/fact-figures.pdf" 2>/dev/null
check "a JPEG's EXIF orientation is followed (tests/orientation.py)" \
	/usr/bin/python3 tests/orientation.py "$tmp/fact-figures.pdf" tests/fixtures/images/rotated.jpg

# --- the breaches chart ----------------------------------------------------------------
# The sample's Figure 1, read back: bars drawn as fills (no raster), in
# greys that differ, labelled, its caption's note on its page, tagged as
# a Figure whose /Alt says what it shows; a template turns it off.
check "the sample's breaches chart: drawn, labelled, noted, tagged (tests/chart.py)" \
	/usr/bin/python3 tests/chart.py "$pdf" 2 Russia Ukraine Undated 1 -- \
	"Bar chart: 1 breach alleged by Russia and 1 by Ukraine, none of them dated."
check "the stress fixture's chart: a group per date, a key for long names" \
	/usr/bin/python3 tests/chart.py "$tmp/stress-a4.pdf" 20 Party Undated March 8 -- \
	"Bar chart: 63 breaches alleged by Party A, 32 by Party B and 31 by Party C, between 18 March 2025 and 27 March 2025; 18 of them undated."
sed 's/^  - {id: breaches, title: Disputed breaches}$/  - {id: breaches, title: Disputed breaches, chart: false}/' \
	templates/a4.yaml >"$tmp/nochart.yaml"
"$BRIEFING" build "$SAMPLE" --template "$tmp/nochart.yaml" -o "$tmp/nochart.pdf" 2>"$tmp/nochart.err"; st=$?
if [ $st -eq 0 ] && grep -q 'chart: false' "$tmp/nochart.yaml" &&
	! pdftotext "$tmp/nochart.pdf" - | grep -q 'Figure 1' &&
	pdftotext "$pdf" - | grep -q 'Figure 1'; then
	ok "a template's chart: false leaves the chart out"
else not_ok "a template's chart: false leaves the chart out" "exit $st: $(cat "$tmp/nochart.err")"; fi

# --- A summary box many pages tall ---------------------------------------------------
# The box is split between lines, each part on a page with its own ground:
# every point printed once and in order, no part running into the margin,
# and the notes its points cite on the pages of their markers.
sb=$tmp/sbox
mkdir -p "$sb"
cp tests/fixtures/minimal.yaml "$sb/"
for k in $(seq 0 239); do
	if [ $((k % 50)) -eq 7 ]; then
		printf -- '- Point %d of the summary: the grid held overnight [@art].\n' "$k"
	else
		printf -- '- Point %d of the summary: the grid held overnight, officials said.\n' "$k"
	fi
done >"$sb/minimal.md"
"$BRIEFING" build "$sb/minimal.yaml" -o "$sb/s.pdf" 2>"$sb/err"
st=$?
got=$(pdftotext "$sb/s.pdf" - 2>/dev/null | grep -o 'Point [0-9]* of the summary' | tr -dc '0-9\n' | tr '\n' ' ')
want=$(seq 0 239 | tr '\n' ' ')
spages=$(pdfinfo "$sb/s.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
if [ $st -eq 0 ] && [ "$got" = "$want" ] && [ "${spages:-0}" -ge 6 ] &&
	! grep -q 'taller than the page' "$sb/err"; then
	ok "a summary box of 240 points splits across pages, every point once, in order"
else not_ok "a summary box of 240 points splits across pages, every point once, in order" \
	"exit $st, $spages pages: $(head -3 "$sb/err"); got: $(printf '%s' "$got" | cut -c1-200)"; fi
check "a split summary box: every footnote on the page of its marker" \
	python3 tests/pdfnotes.py "$sb/s.pdf"

# --- A table row of many pages: one claim of 9,000 words -----------------------------
# The lines of a table cell touch (their letters take more than the leading),
# so the row is cut between lines all the same, each part filling a page:
# every word printed once and in order, nothing running off the page.
lr=$tmp/longrow
mkdir -p "$lr"
cp tests/fixtures/minimal.md "$lr/"
awk 'BEGIN { printf "    claim: \""; for (k = 0; k < 9000; k++) printf "w%d ", k; print "end.\"" }' >"$lr/claim"
sed -e "/^    claim: Strikes continued.\$/{r $lr/claim" -e 'd;}' tests/fixtures/minimal.yaml >"$lr/row.yaml"
"$BRIEFING" build "$lr/row.yaml" -o "$lr/row.pdf" 2>"$lr/err"; st=$?
got=$(pdftotext "$lr/row.pdf" - 2>/dev/null | grep -oE '(^| )w[0-9]+' | tr -dc '0-9\n' | tr '\n' ' ')
want=$(seq 0 8999 | tr '\n' ' ')
lpages=$(pdfinfo "$lr/row.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
if [ $st -eq 0 ] && [ ! -s "$lr/err" ] && [ "$got" = "$want" ] && [ "${lpages:-0}" -ge 20 ]; then
	ok "a table row of 9,000 words splits across pages, every word once, in order"
else not_ok "a table row of 9,000 words splits across pages, every word once, in order" \
	"exit $st, $lpages pages: $(head -3 "$lr/err"); got: $(printf '%s' "$got" | cut -c1-200)"; fi
check "a table row of 9,000 words: no text off the page or overlapping" \
	python3 tests/pdflayout.py "$lr/row.pdf" --template templates/a4.yaml --check area,overlap,notes,justify

# --- A summary of megabytes: time linear in its length ------------------------------
# big_md BYTES: paragraphs of 80 words, BYTES in all, the same every time.
big_md() {
	awk -v n="$1" 'BEGIN {
		split("the grid held overnight officials said energy infrastructure " \
			"pause ceasefire drones strikes were reported near border while " \
			"talks continued", w, " ")
		s = 1
		for (total = 0; total < n; total += length(line) + 2) {
			line = ""
			for (k = 0; k < 80; k++) {
				s = (s * 69069 + 1) % 4294967296
				line = line w[1 + int(s / 65536) % 19] " "
			}
			line = line "end."
			printf "%s\n\n", line
		}
	}'
}
# typeset_ms FACTS RUNS: the fastest of RUNS builds' typesetting time [ms],
# or nothing when a build fails or says anything but its timings.
typeset_ms() {
	tm_best=""
	for tm_k in $(seq "$2"); do
		"$BRIEFING" build "$1" -o "$1.pdf" --timings >/dev/null 2>"$1.err" || return 0
		tm_t=$(sed -n 's/^timings: .*typeset \([0-9.]*\) ms.*/\1/p' "$1.err")
		[ -n "$tm_t" ] && [ "$(wc -l <"$1.err")" -eq 1 ] || return 0
		tm_best=$(awk -v a="$tm_best" -v b="$tm_t" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }')
	done
	echo "$tm_best"
}
bs=$tmp/bigsummary
mkdir -p "$bs"
big_md 1000000 >"$bs/one.md"
big_md 8000000 >"$bs/eight.md"
for n in one eight; do
	sed "s/^  summary: minimal.md\$/  summary: $n.md/" tests/fixtures/minimal.yaml >"$bs/$n.yaml"
done
# Eight times the text may take eight times as long, not 64 times: the
# fastest of a few runs each, so that a busy machine does not decide.
t1=$(typeset_ms "$bs/one.yaml" 3)
t8=$(typeset_ms "$bs/eight.yaml" 2)
p8=$(pdfinfo "$bs/eight.yaml.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
if [ -n "$t1" ] && [ -n "$t8" ] && [ "${p8:-0}" -ge 1500 ] &&
	awk -v a="$t1" -v b="$t8" 'BEGIN { exit !(b < 16 * (a > 1 ? a : 1)) }'; then
	ok "a summary of 8 MB sets in less than 16 times the time of 1 MB ($t8 ms, $t1 ms)"
else not_ok "a summary of 8 MB sets in less than 16 times the time of 1 MB" \
	"1 MB: ${t1:-failed} ms, 8 MB: ${t8:-failed} ms, $p8 pages: $(head -3 "$bs/one.yaml.err" "$bs/eight.yaml.err")"; fi

# 16 MB would be a box of more than 2,000,000 pt: an error at the summary's
# name, and the PDF from before stays.
big_md 16000000 >"$bs/sixteen.md"
sed 's/^  summary: minimal.md$/  summary: sixteen.md/' tests/fixtures/minimal.yaml >"$bs/sixteen.yaml"
printf 'previous good PDF\n' >"$bs/sixteen.pdf"
"$BRIEFING" build "$bs/sixteen.yaml" -o "$bs/sixteen.pdf" 2>"$bs/sixteen.err"; st=$?
want="$bs/sixteen.yaml:7:12: error: the summary is too long: more than 2000000 pt (about 2977 pages) in one box"
if [ $st -eq 1 ] && [ "$(cat "$bs/sixteen.err")" = "$want" ] &&
	[ "$(cat "$bs/sixteen.pdf")" = "previous good PDF" ] &&
	! ls -a "$bs" | grep -v '\.lock$' | grep -q '^\.sixteen\.pdf\.'; then
	ok "a summary of 16 MB is an error at its name; the previous PDF stays"
else not_ok "a summary of 16 MB is an error at its name; the previous PDF stays" \
	"exit $st: $(head -c 600 "$bs/sixteen.err"; ls -a "$bs")"; fi
# Thousands of pages of the same words: not worth the five readers' time.
rm -f "$bs"/*.md "$bs"/*.pdf

# --- Unicode, missing glyphs, overfull words, links ---------------------------------
u=$tmp/unicode.pdf
"$BRIEFING" build tests/fixtures/unicode.yaml -o "$u" 2>"$tmp/u.err"; st=$?
if [ $st -eq 0 ] && has_texts "$u" "Зеленський вимагає" "Kyivʼs view" \
	"“Curly quotes”, en – and em — dashes" \
	"café, Zürich, Ñandú, Ångström, ½" >"$tmp/u.verify" 2>&1; then
	ok "Cyrillic, U+02BC, quotes, dashes and accented letters extract exactly"
else not_ok "Cyrillic, U+02BC, quotes, dashes and accented letters extract exactly" "exit $st: $(cat "$tmp/u.verify" "$tmp/u.err")"; fi
uinfo=$(pdfinfo "$u" 2>/dev/null)
if printf '%s\n' "$uinfo" | grep -qxE 'Title: +Київ and Kyivʼs view — a test of every character' &&
	printf '%s\n' "$uinfo" | grep -qxE 'Subject: +“Curly quotes”, en – and em — dashes, U\+02BC in Kyivʼs'; then
	ok "document information keeps Cyrillic, U+02BC, quotes and dashes"
else not_ok "document information keeps Cyrillic, U+02BC, quotes and dashes" "$uinfo"; fi
check "Cyrillic, Greek and composite accents embedded in well-formed subsets" \
	python3 tests/pdffonts.py "$u"
if grep -qxF 'tests/fixtures/unicode.yaml:37:35: warning: character U+2603 ("☃") is not in the sans font; it prints as a box' "$tmp/u.err"; then
	ok "a character the fonts lack is a warning with its place"
else not_ok "a character the fonts lack is a warning with its place" "$(cat "$tmp/u.err")"; fi

# A character no font has is reported at its own line and column, in the
# middle of a YAML value (on its first line and its second) and on the
# second line of a Markdown paragraph, after a citation: by check as by
# build (tests/hostile/glyph-places.err pins what build says).
gp_want='glyph-places.md:2:19: warning: character U+260E ("☎") is not in the serif font; it prints as a box
glyph-places.yaml:40:28: warning: character U+2602 ("☂") is not in the sans font; it prints as a box
glyph-places.yaml:41:17: warning: character U+2604 ("☄") is not in the sans font; it prints as a box'
(cd tests/hostile && "$BRIEFING" build glyph-places.yaml -o "$tmp/gp.pdf") 2>"$tmp/gp-build.err"; st1=$?
(cd tests/hostile && "$BRIEFING" check glyph-places.yaml) 2>"$tmp/gp-check.err"; st2=$?
if [ $st1 -eq 0 ] && [ "$(cat "$tmp/gp-build.err")" = "$gp_want" ]; then
	ok "build: a missing character at its own line and column"
else not_ok "build: a missing character at its own line and column" "exit $st1: $(cat "$tmp/gp-build.err")"; fi
if [ $st2 -eq 0 ] && [ "$(cat "$tmp/gp-check.err")" = "$gp_want
glyph-places.yaml: ok" ]; then
	ok "check: a missing character at its own line and column, as build says"
else not_ok "check: a missing character at its own line and column, as build says" "exit $st2: $(cat "$tmp/gp-check.err")"; fi
(cd tests/hostile && "$BRIEFING" check glyph-places.yaml --format json) >"$tmp/gp.json" 2>"$tmp/gp-json.err"; st=$?
if [ $st -eq 0 ] && python3 -c '
import json, sys
got = [(d["file"], d["line"], d["column"], d["severity"], d["message"][:20])
       for d in json.load(open(sys.argv[1]))]
want = [("glyph-places.md", 2, 19, "warning", "character U+260E (\"☎"),
        ("glyph-places.yaml", 40, 28, "warning", "character U+2602 (\"☂"),
        ("glyph-places.yaml", 41, 17, "warning", "character U+2604 (\"☄")]
sys.exit(got != want)' "$tmp/gp.json"; then
	ok "check --format json: a missing character at its own line and column"
else not_ok "check --format json: a missing character at its own line and column" "exit $st: $(cat "$tmp/gp.json" "$tmp/gp-json.err")"; fi
# check reads the template's fonts: one that is not a font is an error
# there too, not only when building.
printf 'not a font\n' >"$tmp/notafont.ttf"
sed "s|^  sans: .*|  sans: $tmp/notafont.ttf|" templates/a4.yaml >"$tmp/badfont.yaml"
"$BRIEFING" check tests/fixtures/minimal.yaml --template "$tmp/badfont.yaml" 2>"$tmp/badfont.err"; st=$?
if [ $st -eq 1 ] && grep -qF "error: \"$tmp/notafont.ttf\" is not a TrueType font" "$tmp/badfont.err"; then
	ok "check: a template font that is not a font is an error"
else not_ok "check: a template font that is not a font is an error" "exit $st: $(cat "$tmp/badfont.err")"; fi
# Fonts named by family through fontconfig: the family's font of the
# style asked for, or an error at the entry, never the nearest style in
# its place (a misspelt "Itallic" would print the italic face upright).
fcdir=$tmp/fc-family
mkdir -p "$fcdir"
fc_template() {
	set -- "$(printf '%s' "$1" | sed 's/\\/\\\\/g')" # sed keeps a "\" doubled
	sed "s|^  serif_italic: .*|  serif_italic: ['$1']|; s|^  serif: \[NotoSerif-Regular.ttf,|  serif: [\"Noto Serif\",|" \
		templates/a4.yaml >"$fcdir/t.yaml"
}
fc_template "Noto Serif:italic"
if "$BRIEFING" build tests/fixtures/minimal.yaml -t "$fcdir/t.yaml" -o "$fcdir/o.pdf" -q &&
	fonts=$(pdffonts "$fcdir/o.pdf" | grep -o 'NotoSerif-[A-Za-z]*' | sort -u | tr '\n' ' ') &&
	[ "$fonts" = "NotoSerif-Bold NotoSerif-Italic NotoSerif-Regular " ]; then
	ok "fonts named by family and style through fontconfig (\"Noto Serif\", \"Noto Serif:italic\")"
else not_ok "fonts named by family and style through fontconfig" "${fonts:-the build failed}"; fi
# Names fontconfig's own values only come near: "book" is weight 75 and
# Noto Serif's regular 80, "oblique" slant 110 and its italic 100.
for case in "Noto Serif:book|NotoSerif-Regular" "Noto Serif:oblique|NotoSerif-Italic" \
	"Noto Serif:style=Italic|NotoSerif-Italic" 'Noto Serif:italic:capability=otlayout\:latn|NotoSerif-Italic'; do
	name=${case%%|*} want=${case#*|}
	fc_template "$name"
	if "$BRIEFING" build tests/fixtures/minimal.yaml -t "$fcdir/t.yaml" -o "$fcdir/o.pdf" -q 2>"$fcdir/err" &&
		pdffonts "$fcdir/o.pdf" | grep -q "+$want "; then
		ok "a font named \"$name\" is $want"
	else not_ok "a font named \"$name\" is $want" "$(cat "$fcdir/err"; pdffonts "$fcdir/o.pdf" 2>&1 | grep Serif)"; fi
done
line=$(grep -n '^  serif_italic:' templates/a4.yaml | cut -d: -f1)
for case in "Noto Serif:Itallic|\"Itallic\" is not a style fontconfig knows" \
	"Noto Serif:wieght=bold|\"wieght\" is not a property fontconfig knows" \
	"Noto Serif:style=Banana|the font found has no style \"Banana\"" \
	"Noto Serif:width=condensed|the family has no font of that width (the nearest is \"Regular\")" \
	"Noto Sreif|no installed font has the family \"Noto Sreif\""; do
	name=${case%%|*} want=${case#*|}
	fc_template "$name"
	"$BRIEFING" check tests/fixtures/minimal.yaml -t "$fcdir/t.yaml" 2>"$fcdir/err"; st=$?
	if [ $st -eq 1 ] && grep -qF "$fcdir/t.yaml:$line:18: error: " "$fcdir/err" &&
		grep -qF "$want" "$fcdir/err"; then
		ok "a font named \"$name\" is an error at its entry"
	else not_ok "a font named \"$name\" is an error at its entry" "exit $st: $(cat "$fcdir/err")"; fi
done
if grep -q '^tests/fixtures/unicode.yaml:29:59: warning: "Supercalifragilistic.*" is wider than its column' "$tmp/u.err"; then
	ok "a word wider than its column is a warning with its place"
else not_ok "a word wider than its column is a warning with its place" "$(cat "$tmp/u.err")"; fi
# Such a word is cut where the line is full, as it is measured shaped
# whole: an Arabic one's letters joined (measured apart, its first line
# came out a third short), and never inside a ligature ("ffi").
ww=$tmp/wide-word
mkdir -p "$ww"
cp tests/fixtures/minimal.md "$ww/"
sed 's|^  summary: \(.*\)|  summary: \1\n  commentary:\n    context: context.md|' \
	tests/fixtures/minimal.yaml >"$ww/minimal.yaml"
python3 -c 'print("Text " + "والمستشفيات" * 9 + " end.\n\nMore " + "fluffier" * 40 + " end.")' >"$ww/context.md"
if "$BRIEFING" build "$ww/minimal.yaml" -o "$ww/o.pdf" -q 2>/dev/null &&
	out=$(/usr/bin/python3 -c '
import re, sys
sys.path.insert(0, "tests")
from pdflines import baselines, npages
width = 595.28 - 2 * 35 / 25.4 * 72
arabic, latin = [], []
for pno in range(npages(sys.argv[1])):
    for row in baselines(sys.argv[1], pno).values():
        row = sorted((c for c in row if c["c"] != " "), key=lambda c: c["origin"][0])
        text = "".join(c["c"] for c in row)
        if any("\u0600" <= c <= "\u06ff" for c in text) and "end" not in text:
            arabic.append(row[-1]["bbox"][2] - row[0]["bbox"][0])
        if "fluff" in text and "end." not in text:
            latin.append(text)
print("the Arabic line %s pt of %.0f; the Latin lines end %s" % (
      ", ".join("%.0f" % a for a in arabic), width, ", ".join(t[-5:] for t in latin)))
# Every "f" of "fluffier" is in a ligature ("fl", "ffi"): a line that
# ends in one was cut inside it.
sys.exit(not (len(arabic) == 1 and arabic[0] > 0.9 * width and latin and
              not any(t.endswith("f") for t in latin)))' "$ww/o.pdf" 2>&1); then
	ok "a word wider than its column is cut where the line is full, its clusters whole ($out)"
else not_ok "a word wider than its column is cut where the line is full, its clusters whole" "${out:-the build failed}"; fi
urls=$(pdfinfo -url "$u" 2>/dev/null)
if printf '%s' "$urls" | grep -qF 'https://example.org/statement' &&
	printf '%s' "$urls" | grep -qF 'https://example.org/uk/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F?id=1&x=2'; then
	ok "links are clickable, non-ASCII percent-encoded"
else not_ok "links are clickable, non-ASCII percent-encoded" "$urls"; fi
if pdftotext "$u" - 2>/dev/null | tr '\n' ' ' | grep -qF 'https://example.org/statement.'; then
	ok "a link's URL is printed in its note"
else not_ok "a link's URL is printed in its note"; fi
# URL schemes are case-insensitive: a source's url and links in commentary
# written HTTP://, HTTPS:// or MailTo: are kept like their lower-case forms.
mkdir -p "$tmp/scheme"
sed 's|url: https://example.org/article|url: HTTPS://Example.org/Article|; s|summary: minimal.md|summary: s.md|' \
	tests/fixtures/minimal.yaml >"$tmp/scheme/f.yaml"
printf '%s\n' 'Described as productive [@art], in [a statement](HTTP://example.org/statement) and [by mail](MailTo:press@example.org).' \
	>"$tmp/scheme/s.md"
"$BRIEFING" build "$tmp/scheme/f.yaml" -o "$tmp/scheme/s.pdf" 2>"$tmp/scheme/err"; st=$?
urls=$(pdfinfo -url "$tmp/scheme/s.pdf" 2>/dev/null)
if [ $st -eq 0 ] && [ ! -s "$tmp/scheme/err" ] &&
	printf '%s' "$urls" | grep -qF 'HTTPS://Example.org/Article' &&
	printf '%s' "$urls" | grep -qF 'HTTP://example.org/statement' &&
	printf '%s' "$urls" | grep -qF 'MailTo:press@example.org' &&
	has_texts "$tmp/scheme/s.pdf" "2 HTTP://example.org/statement." "3 MailTo:press@example.org." \
		"Example Outlet, 19 March 2025, HTTPS://Example.org/Article." >"$tmp/scheme/v" 2>&1; then
	ok "URL schemes in upper case are links like lower-case ones"
else not_ok "URL schemes in upper case are links like lower-case ones" "exit $st: $(cat "$tmp/scheme/err" "$tmp/scheme/v") $urls"; fi
# A citation in a code span is literal text.
sed 's|summary: minimal.md|summary: code.md|' tests/fixtures/minimal.yaml >"$tmp/scheme/code.yaml"
printf '%s\n' 'Write `[@art]` to cite a source, as here [@art].' >"$tmp/scheme/code.md"
"$BRIEFING" build "$tmp/scheme/code.yaml" -o "$tmp/scheme/code.pdf" 2>"$tmp/scheme/err"; st=$?
if [ $st -eq 0 ] && [ ! -s "$tmp/scheme/err" ] &&
	has_texts "$tmp/scheme/code.pdf" "Write [@art] to cite a source, as here.¹" >"$tmp/scheme/v" 2>&1; then
	ok "a citation in a code span prints as written"
else not_ok "a citation in a code span prints as written" "exit $st: $(cat "$tmp/scheme/err" "$tmp/scheme/v")"; fi
# Pandoc's citation forms: a prefix and a locator go in the note, "-@id"
# leaves the author out of it, a bare "@id" is text with a warning.
sed 's|summary: minimal.md|summary: pandoc.md|' tests/fixtures/minimal.yaml >"$tmp/scheme/pandoc.yaml"
printf '%s\n' 'As A. Writer put it [-@art, para. 4], it was productive [see @art p. 3; also @art].' \
	'Ask press@kremlin.ru, or see @art.' >"$tmp/scheme/pandoc.md"
"$BRIEFING" build "$tmp/scheme/pandoc.yaml" -o "$tmp/scheme/pandoc.pdf" 2>"$tmp/scheme/err"; st=$?
if [ $st -eq 0 ] &&
	[ "$(cat "$tmp/scheme/err")" = "$tmp/scheme/pandoc.md:2:30: warning: \"@art\" is not a citation and prints as written; write \"[@art]\" for a footnote" ] &&
	has_texts "$tmp/scheme/pandoc.pdf" "As A. Writer put it,¹ it was productive.²" \
		"Ask press@kremlin.ru, or see @art." \
		"1 “An Example Article,” Example Outlet, 19 March 2025, para. 4, https://example.org/article." \
		"2 See Writer, “Example Article,” p. 3; also Writer, “Example Article.”" \
		>"$tmp/scheme/v" 2>&1; then
	ok "Pandoc's prefixes, locators without a comma and -@id go in the note; a bare @id is a warning"
else not_ok "Pandoc's prefixes, locators without a comma and -@id go in the note; a bare @id is a warning" \
	"exit $st: $(cat "$tmp/scheme/err" "$tmp/scheme/v")"; fi
check "every footnote on the page of its marker (Unicode fixture)" \
	python3 tests/pdfnotes.py "$u"

# --- briefing init -----------------------------------------------------------------
# A new briefing builds as it stands through its Makefile, its quote is
# verified, and init again overwrites nothing.
ni=$tmp/new-briefing
"$BRIEFING" init "$ni" >"$tmp/init.out" 2>&1; st1=$?
(cd "$ni" && make -s BRIEFING="$BRIEFING" && make -s check BRIEFING="$BRIEFING") >>"$tmp/init.out" 2>&1; st2=$?
sum1=$(cd "$ni" && cat facts.yaml summary.md context.md Makefile archive/report.txt | sha256sum)
out=$("$BRIEFING" init "$ni" 2>&1); st3=$?
sum2=$(cd "$ni" && cat facts.yaml summary.md context.md Makefile archive/report.txt | sha256sum)
# Its commentary reads as prose, and shows how to cite.
if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && [ "$(head -c 5 "$ni/briefing.pdf")" = "%PDF-" ] &&
	has_texts "$ni/briefing.pdf" "Commentary is Markdown. A citation such as [@report, para. 2] becomes a" \
		"described the call as constructive.²" >>"$tmp/init.out" &&
	grep -q '^facts.yaml: ok; 1 of 1 quotes verified against archived copies$' "$tmp/init.out" &&
	[ -s "$ni/briefing.d" ] && [ $st3 -eq 1 ] && [ "$sum1" = "$sum2" ] &&
	printf '%s\n' "$out" | grep -qx "$ni/facts.yaml: error: already exists; briefing init writes only into a new or empty directory"; then
	ok "briefing init writes a briefing that builds as it stands, and never overwrites"
else not_ok "briefing init writes a briefing that builds as it stands, and never overwrites" \
	"exit $st1/$st2/$st3: $(cat "$tmp/init.out") $out"; fi

# --- spaces at the ends of a fact file's strings -------------------------------------
# A title pasted with a space inside its quotes, an author and an outlet with
# spaces around them, a party id with one after it, and ids in lists with
# spaces: the notes and the source list print them without the spaces
# ("Report," not "Report ,"), the ids still match, and a character of a
# quoted text with spaces before it is still reported at its own column.
sp=$tmp/spaced
rm -rf "$sp" && "$BRIEFING" init "$sp" >/dev/null 2>&1
sed -i 's/^    title: An example report$/    title: "An example report "/
s/^    author: null$/    author: "  Jane Roe "/
s/^    outlet: Example Outlet$/    outlet: " Example Outlet "/
s/^  - id: first$/  - id: "first "/
s/participants: \[first, second\]/participants: ["first ", " second"]/
s/^    sources: \[report\]$/    sources: ["report "]/
s/^    text: The two parties spoke by phone\.$/    text: "  The two \xe6\xbc\xa2 parties spoke by phone. "/' "$sp/facts.yaml"
out=$("$BRIEFING" build "$sp/facts.yaml" -o "$sp/b.pdf" 2>&1); st=$?
flat=$(flat_text "$sp/b.pdf")
line=$(grep -n 'parties spoke by phone' "$sp/facts.yaml" | cut -d: -f1)
if [ $st -eq 0 ] && grep -q '"first "' "$sp/facts.yaml" &&
	has_texts "$sp/b.pdf" "Jane Roe, “An Example Report,” Example Outlet, 1 January 2025." \
		"Roe, Jane. “An Example Report.” Example Outlet, 1 January 2025." >/dev/null &&
	case $flat in *"Report ,"*|*"Report ."*|*" ,"*|*"“ "*) false ;; esac &&
	printf '%s\n' "$out" | grep -q "^$sp/facts.yaml:$line:22: warning: character U+6F22"; then
	ok "spaces at the ends of a fact file's strings are dropped, and places inside them still found"
else not_ok "spaces at the ends of a fact file's strings are dropped, and places inside them still found" \
	"exit $st: $out | $flat"; fi

# --- an address in a note breaks before its hyphens ---------------------------------
# A source's long address is broken before a hyphen, as Chicago breaks one
# (7.47), never after: pdftotext drops a hyphen that ends a line, taking it
# for a word's, and "trump-putin" would copy as "trumpputin".
ua=$tmp/url-hyphens
u='https://kyivindependent.com/trump-putin-phone-call-expected-this-week-us-hopes-for-ceasefire-within-weeks-envoy-says-and-more'
rm -rf "$ua" && "$BRIEFING" init "$ua" >/dev/null 2>&1
sed -i "s|^    url: null\$|    url: $u|" "$ua/facts.yaml"
"$BRIEFING" build "$ua/facts.yaml" -o "$ua/o.pdf" -q 2>"$ua/err"; st=$?
ut=$(pdftotext -enc UTF-8 "$ua/o.pdf" - 2>/dev/null)
# The address's lines: from the one it starts on to the one its end is on.
lines=$(printf '%s\n' "$ut" | awk -v u="$u" 'index($0, "https://kyiv") { on = 1; s = "" }
	on { s = s $0; print; if (index(s, "and-more")) on = 0 }')
if [ $st -eq 0 ] && [ "$(printf '%s\n' "$lines" | wc -l)" -ge 2 ] &&
	! printf '%s\n' "$lines" | grep -q -- '-$' &&
	printf '%s' "$lines" | tr -d '\n' | grep -qF "$u"; then
	ok "an address in a note breaks before its hyphens and copies back whole"
else not_ok "an address in a note breaks before its hyphens and copies back whole" "exit $st: $lines $(cat "$ua/err")"; fi

# --- a character missing from a locator is reported at its column ----------------------
ml=$tmp/locator-glyph
rm -rf "$ml" && "$BRIEFING" init "$ml" >/dev/null 2>&1
sed -i 's/sources: \[{id: report, locator: para. 2}\]/sources: [{id: report, locator: "para. \xe6\xbc\xa2"}]/' "$ml/facts.yaml"
line=$(grep -n 'locator: "para' "$ml/facts.yaml" | cut -d: -f1)
col=$(sed -n "${line}p" "$ml/facts.yaml" | awk '{print index($0, "para. ") + 6}')
want="$ml/facts.yaml:$line:$col: warning: character U+6F22"
b=$("$BRIEFING" build "$ml/facts.yaml" -o "$ml/o.pdf" 2>&1); st1=$?
c=$("$BRIEFING" check "$ml/facts.yaml" 2>&1); st2=$?
if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && printf '%s\n' "$b" | grep -q "^$want" &&
	printf '%s\n' "$c" | grep -q "^$want"; then
	ok "a character missing from a locator is reported at its column by build and check"
else not_ok "a character missing from a locator is reported at its column by build and check" \
	"exit $st1/$st2, want $want: $b | $c"; fi

# --- a line before a word too wide for any line is not stretched ---------------------
# The word starts the next line; the line before it, "A long word:", is
# set at its natural width, not justified with gaps of a third of a line.
lw=$tmp/long-word
rm -rf "$lw" && "$BRIEFING" init "$lw" >/dev/null 2>&1
printf '%s\n' 'A long word: Donaudampfschifffahrtsgesellschaftskapitaenswitwenrentenversicherungsanstaltsdirektor and more words [@report].' >"$lw/context.md"
"$BRIEFING" build "$lw/facts.yaml" -o "$lw/o.pdf" -q 2>"$lw/err"; st=$?
x=$(pdftotext -bbox "$lw/o.pdf" - 2>/dev/null | awk -F'"' '/>word:</ { print int($6); exit }')
if [ $st -eq 0 ] && [ -n "$x" ] && [ "$x" -lt 200 ]; then
	ok "a line before a word too wide for any line is set at its natural width (word: ends at $x pt)"
else not_ok "a line before a word too wide for any line is set at its natural width" "exit $st, \"word:\" ends at ${x:-?} pt: $(cat "$lw/err")"; fi

# --- an address in a crowded table keeps a fair share of the width -------------------
# Eight columns whose widest words together overfill the page: the column
# of addresses, which may break anywhere, still gets its share of the
# width (an eighth, less its padding), not the width of "/7502411/".
ct=$tmp/crowded-table
rm -rf "$ct" && "$BRIEFING" init "$ct" >/dev/null 2>&1
printf '%s\n' '| Party | Claim | Source | Where | When | Status | Kind | Link |' '|---|---|---|---|---|---|---|---|' \
	'| Ministry of Defence | Counteroffensive operations | Ukrainska Pravda | Zaporizhzhia | 18 March | disputed | infrastructure | https://www.pravda.com.ua/eng/news/2025/03/18/7502411/ |' \
	>"$ct/context.md"
err=$("$BRIEFING" build "$ct/facts.yaml" -o "$ct/o.pdf" 2>&1); st=$?
# From the head "Link", less its padding, to the text's right edge.
colw=$(pdftotext -bbox "$ct/o.pdf" - 2>/dev/null | awk -F'"' '/>Link</ { print int(496.063 - ($2 - 3)); exit }')
if [ $st -eq 0 ] && [ -n "$colw" ] && [ "$colw" -ge 45 ]; then
	ok "an address in a crowded table keeps a fair share of the width ($colw pt)"
else not_ok "an address in a crowded table keeps a fair share of the width" "exit $st, column ${colw:-?} pt: $err"; fi

# --- straight quotation marks and apostrophes in the fact file are set curly ----------
# As the commentary's smart punctuation sets them: an apostrophe, a single
# quotation, a double one, an elision nothing closes; an inch or foot mark
# after a figure stays straight, and so does an address.
sq=$tmp/smart-quotes
rm -rf "$sq" && "$BRIEFING" init "$sq" >/dev/null 2>&1
sed -i "s/^    text: The two parties spoke by phone\\.\$/    text: 'Kyiv''s \"partial\" truce, the ''deal'' of the ''90s, a 12\" wall.'/
s/^    title: An example report\$/    title: 'The parties'' \"truce\"'/
s|^    url: null\$|    url: https://example.org/it's|" "$sq/facts.yaml"
"$BRIEFING" build "$sq/facts.yaml" -o "$sq/o.pdf" -q 2>"$sq/err"; st=$?
if [ $st -eq 0 ] && has_texts "$sq/o.pdf" "Kyiv’s “partial” truce, the ‘deal’ of the ’90s, a 12\" wall." \
	"“The Parties’ ‘Truce,’”" "https://example.org/it's" >"$sq/why"; then
	ok "straight quotation marks and apostrophes in the fact file are set curly, inch marks and addresses not"
else not_ok "straight quotation marks and apostrophes in the fact file are set curly, inch marks and addresses not" \
	"exit $st: $(cat "$sq/err" "$sq/why")"; fi

# The harder cases, read from the document dump: a closing mark after a
# figure, an elision before a quotation, marks side by side, a mark after
# a line break, feet and inches, an apostrophe after a figure (G7's), a
# quotation after an elision (d'"…") or a two-letter Hebrew prefix, a
# geresh and gershayim; a block scalar's last line break is dropped; a
# title ending in an apostrophe takes the note's comma after it; the
# French template gives the text's quotations its « ».
/usr/bin/python3 - "$sq/facts.yaml" <<'PY'
import re, sys
items = ['100 ש"ח, ע"י ז\'בוטינסקי and ג\'ורג\'.',
         '"Minsk 2" began, "G7". \'Minsk 2\' and top-\'10\'.',
         'the \'90s and the \'deal\'.',
         '"\'Hello,\' she said" and \'"Hello," she said\'.',
         'First line\n"quoted" x.',
         'He is 5\'10" tall at 50°27\'00"N.',
         "Israel's and the G7's statement, the 1990's.",
         'Moscou parle d\'"opération militaire spéciale".',
         'וב"הארץ" נכתב.']
def yq(t):
    return '"' + t.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'
s = open(sys.argv[1], encoding="utf-8").read()
tl = "timeline:\n" + "".join("  - date: 2025-01-01\n    text: %s\n    sources: [report]\n" % yq(t) for t in items)
tl += "  - date: 2025-01-01\n    text: |\n      Written as a \"block\".\n    sources: [report]\n"
s = re.sub(r'(?ms)^timeline:\n.*?(?=^calls:)', lambda m: tl, s)
s = re.sub(r'(?m)^    title: .*$', lambda m: "    title: \"Voice of the Workers'\"", s, count=1)
open(sys.argv[1], "w", encoding="utf-8").write(s)
PY
printf '%s\n' "המילה 'שלום' שם, ג'ורג' כאן." >>"$sq/context.md"
"$BRIEFING" build "$sq/facts.yaml" -o "$sq/d.pdf" --dump=doc >"$sq/dump" 2>"$sq/err"; st=$?
"$BRIEFING" build "$sq/facts.yaml" -t a4-fr -o "$sq/fr.pdf" --dump=doc >"$sq/dump-fr" 2>>"$sq/err"
missing=
for want in '100 ש"ח, ע"י ז'"'"'בוטינסקי and ג'"'"'ורג'"'"'.' '“Minsk 2” began, “G7”. ‘Minsk 2’ and top-‘10’.' \
	'the ’90s and the ‘deal’.' '“‘Hello,’ she said” and ‘“Hello,” she said’.' \
	'He is 5'"'"'10" tall at 50°27'"'"'00"N.' '“Voice of the Workers’,”' '“quoted” x.' \
	'Israel’s and the G7’s statement, the 1990’s.' 'Moscou parle d’“opération militaire spéciale”.' \
	'וב“הארץ” נכתב.' '"Written as a “block”."' "המילה ‘שלום’ שם, ג'ורג' כאן."; do
	grep -qF -- "$want" "$sq/dump" || missing="$missing [$want]"
done
nb=$(printf '\302\240')
grep -qF "«${nb}Minsk 2${nb}» began" "$sq/dump-fr" || missing="$missing [French « »]"
grep -qF "d’«${nb}opération militaire spéciale${nb}»" "$sq/dump-fr" || missing="$missing [French d’« »]"
if [ $st -eq 0 ] && [ -z "$missing" ]; then
	ok "straight marks after figures, elisions, line breaks, Hebrew letters and apostrophes at a title's end are set right"
else not_ok "straight marks after figures, elisions, line breaks, Hebrew letters and apostrophes at a title's end are set right" \
	"exit $st, missing:$missing $(cat "$sq/err")"; fi

# --- installation ----------------------------------------------------------------
if make -s install DESTDIR="$tmp/inst" PREFIX=/usr >"$tmp/inst.log" 2>&1 &&
	(cd "$tmp" && "$tmp/inst/usr/bin/briefing" build "$top/$SAMPLE" -o "$tmp/inst.pdf" 2>&1) >>"$tmp/inst.log" &&
	cmp -s "$pdf" "$tmp/inst.pdf"; then
	ok "make install with DESTDIR and PREFIX gives a working tool"
else not_ok "make install with DESTDIR and PREFIX gives a working tool" "$(cat "$tmp/inst.log")"; fi
# The install ships the man page, the completion, the schema and the
# sample; make uninstall takes them away again.
in=$tmp/inst/usr/share
if [ -s "$in/man/man1/briefing.1" ] && [ -s "$in/bash-completion/completions/briefing" ] &&
	[ -s "$in/briefing/briefing.schema.json" ] && [ -s "$in/doc/briefing/sample/ceasefire-2025-03-18.yaml" ] &&
	make -s uninstall DESTDIR="$tmp/inst" PREFIX=/usr >>"$tmp/inst.log" 2>&1 &&
	[ -z "$(find "$tmp/inst" -type f)" ]; then
	ok "make install ships the man page, completion, schema and sample; make uninstall removes them"
else not_ok "make install ships the man page, completion, schema and sample; make uninstall removes them" \
	"$(cat "$tmp/inst.log"; find "$tmp/inst" -type f)"; fi
# briefing(1) sets without a groff warning and names every option --help
# lists; the completion offers the commands and each one's options.
man_warn=$(groff -man -ww -z src/briefing.1 2>&1)
man_missing=$("$BRIEFING" --help | grep -o -- '^  -[a-zA-Z], --[a-z-]*\|^      --[a-z-]*\|^  -M' |
	grep -o -- '--[a-z-]*\|-M' | sort -u | while read -r opt; do
		grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" src/briefing.1 || printf '%s ' "$opt"
	done)
if [ -z "$man_warn" ] && [ -z "$man_missing" ]; then
	ok "briefing(1) sets without warnings and documents every option of --help"
else not_ok "briefing(1) sets without warnings and documents every option of --help" "$man_warn missing: $man_missing"; fi
comp=$(bash -c 'source src/briefing.bash-completion
COMP_WORDS=(briefing ch); COMP_CWORD=1; _briefing; printf "%s " "${COMPREPLY[@]}"
COMP_WORDS=(briefing check f.yaml --loc); COMP_CWORD=3; _briefing; printf "%s " "${COMPREPLY[@]}"
COMP_WORDS=(briefing build f.yaml --template ""); COMP_CWORD=4; _briefing; printf "%s " "${COMPREPLY[@]}"' 2>&1)
case "$comp" in
"check --locator-diff a4 a4-fr letter"*) ok "bash completion: commands, options and template names" ;;
*) not_ok "bash completion: commands, options and template names" "$comp" ;;
esac
comp_missing=$("$BRIEFING" --help | grep -o -- '--[a-z-]*' | sort -u | while read -r opt; do
	grep -q -- "$opt" src/briefing.bash-completion || printf '%s ' "$opt"
done)
if [ -z "$comp_missing" ]; then ok "bash completion offers every option of --help"
else not_ok "bash completion offers every option of --help" "missing: $comp_missing"; fi

# --- an output is never an input, nor another output ------------------------------
# Each is a usage error (exit 2) said in one line before anything is
# written: the inputs keep their bytes and no PDF, state or lock appears.
ov=$tmp/overlap
rm -rf "$ov" && mkdir -p "$ov"
cp tests/fixtures/minimal.yaml tests/fixtures/minimal.md tests/fixtures/recipients.yaml "$ov/"
cp /usr/share/fonts/truetype/noto/NotoSans-Bold.ttf "$ov/"
sed "s|^  sans_bold: .*|  sans_bold: $ov/NotoSans-Bold.ttf|" templates/a4.yaml >"$ov/t.yaml"
cp "$ov/minimal.yaml" "$ov/s.pdf.state"
ln -s minimal.yaml "$ov/link.yaml"
(cd "$ov" && sha256sum minimal.yaml minimal.md recipients.yaml NotoSans-Bold.ttf t.yaml s.pdf.state) >"$tmp/overlap.sums"
overlap() { # NAME WANT ARGS...: exit 2, the one line WANT, nothing written
	oname=$1 owant=$2; shift 2
	out=$("$BRIEFING" build "$@" 2>&1); st=$?
	if [ $st -ne 2 ] || [ "$out" != "briefing: error: $owant; nothing was written" ] ||
		! (cd "$ov" && sha256sum -c --quiet "$tmp/overlap.sums") >/dev/null 2>&1 ||
		ls -a "$ov" | grep -q 'o\.pdf\|lock\|copy'; then
		not_ok "an output that is an input: $oname" "exit $st: $out; $(ls -a "$ov")"
	else ok "an output that is an input: $oname"; fi
}
overlap "-o the fact file" "-o \"$ov/minimal.yaml\" would overwrite \"$ov/minimal.yaml\", an input of this briefing" \
	"$ov/minimal.yaml" -o "$ov/minimal.yaml"
overlap "-o a link to the fact file" "-o \"$ov/link.yaml\" would overwrite \"$ov/minimal.yaml\", an input of this briefing" \
	"$ov/minimal.yaml" -o "$ov/link.yaml"
overlap "-M the commentary" "-M \"$ov/minimal.md\" would overwrite \"$ov/minimal.md\", an input of this briefing" \
	"$ov/minimal.yaml" -o "$ov/o.pdf" -M "$ov/minimal.md"
overlap "-o the template" "-o \"$ov/t.yaml\" would overwrite \"$ov/t.yaml\", an input of this briefing" \
	"$ov/minimal.yaml" --template "$ov/t.yaml" -o "$ov/t.yaml"
overlap "-M a font" "-M \"$ov/NotoSans-Bold.ttf\" would overwrite \"$ov/NotoSans-Bold.ttf\", an input of this briefing" \
	"$ov/minimal.yaml" --template "$ov/t.yaml" -o "$ov/o.pdf" -M "$ov/NotoSans-Bold.ttf"
overlap "the state file over the fact file" "the state file \"$ov/s.pdf.state\" would overwrite \"$ov/s.pdf.state\", an input of this briefing" \
	"$ov/s.pdf.state" -o "$ov/s.pdf"
overlap "-M the recipients" "-M \"$ov/recipients.yaml\" would overwrite \"$ov/recipients.yaml\", an input of this briefing" \
	"$ov/minimal.yaml" -o "$ov/o.pdf" --copies "$ov/recipients.yaml" -M "$ov/recipients.yaml"
overlap "-o and -M the same file" "-o \"$ov/o.pdf\" and -M \"$ov/o.pdf\" are the same file" \
	"$ov/minimal.yaml" -o "$ov/o.pdf" -M "$ov/o.pdf"
overlap "-M a copy" "-M \"$ov/o-copy-01-committee.pdf\" and copy 1 \"$ov/o-copy-01-committee.pdf\" are the same file" \
	"$ov/minimal.yaml" -o "$ov/o.pdf" --copies "$ov/recipients.yaml" -M "$ov/o-copy-01-committee.pdf"

# Among 20,000 copies, the last one and -M the same file: found at once
# (outputs are compared by what they name, sorted, not pair by pair).
python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    f.write("recipients:\n")
    for i in range(20000):
        f.write("  - name: Recipient %05d\n" % i)
' "$tmp/many-recipients.yaml"
out=$(timeout 20 "$BRIEFING" build "$ov/minimal.yaml" -o "$ov/o.pdf" --copies "$tmp/many-recipients.yaml" \
	-M "$ov/o-copy-20000-recipient-19999.pdf" 2>&1); st=$?
if [ $st -eq 2 ] && [ "$out" = "briefing: error: -M \"$ov/o-copy-20000-recipient-19999.pdf\" and copy 20000 \"$ov/o-copy-20000-recipient-19999.pdf\" are the same file; nothing was written" ] &&
	! ls -a "$ov" | grep -q 'o\.pdf\|lock\|copy'; then
	ok "an output that is an input: among 20,000 copies, found at once"
else not_ok "an output that is an input: among 20,000 copies, found at once" "exit $st: $out"; fi

# --- languages: the catalog's /Lang ------------------------------------------------------
# lang_root PDF: the catalog's /Lang, as qpdf reads it.
lang_root() {
	lr=$(qpdf --show-object=trailer "$1" 2>/dev/null | sed -n 's|.*/Root \([0-9]*\) 0 R.*|\1|p')
	[ -n "$lr" ] && qpdf --show-object="$lr" "$1" 2>/dev/null | grep -o '/Lang ([^)]*)'
}

"$BRIEFING" build tests/fixtures/lang-fr.yaml -o "$tmp/lang-fr.pdf" 2>"$tmp/lang-fr.err"; st=$?
if [ $st -eq 0 ] && [ ! -s "$tmp/lang-fr.err" ] && [ "$(lang_root "$tmp/lang-fr.pdf")" = "/Lang (fr)" ] &&
	[ "$(mutool show "$tmp/lang-fr.pdf" trailer/Root/Lang 2>/dev/null)" = "(fr)" ]; then
	ok "lang: fr is the catalog's /Lang"
else not_ok "lang: fr is the catalog's /Lang" "exit $st: $(cat "$tmp/lang-fr.err") $(lang_root "$tmp/lang-fr.pdf")"; fi
if [ "$(lang_root "$pdf")" = "/Lang (en)" ]; then ok "a briefing without lang is /Lang (en)"
else not_ok "a briefing without lang is /Lang (en)" "$(lang_root "$pdf")"; fi

# --- languages: hyphenation by the briefing's lang and by script ----------------------
# A narrow measure, so that justified lines need hyphens.
sed 's/left: 35mm, right: 35mm/left: 65mm, right: 65mm/; s/^name: A4/name: Narrow/' \
	templates/a4.yaml >"$tmp/narrow.yaml"
out=
"$BRIEFING" build tests/fixtures/lang-fr.yaml -o "$tmp/lang-fr-narrow.pdf" --template "$tmp/narrow.yaml" \
	2>"$tmp/lang-fr-narrow.err"; st=$?
if [ $st -eq 0 ] && [ ! -s "$tmp/lang-fr-narrow.err" ] &&
	out=$(python3 tests/pdfhyphens.py "$tmp/lang-fr-narrow.pdf" tests/fixtures/lang-fr.hyph \
		--not tests/fixtures/lang-fr-en.hyph 2>&1); then
	ok "lang: fr hyphenates French words by the French patterns"
else not_ok "lang: fr hyphenates French words by the French patterns" \
	"exit $st: $(cat "$tmp/lang-fr-narrow.err") ${out:-}"; fi

# An English briefing quoting Russian and Arabic: the Russian words are
# hyphenated by the Russian patterns, the Arabic ones never.
out=
"$BRIEFING" build tests/fixtures/lang-scripts.yaml -o "$tmp/lang-scripts.pdf" \
	--template "$tmp/narrow.yaml" 2>"$tmp/lang-scripts.err"; st=$?
if [ $st -eq 0 ] && ! grep -q 'hyphenation' "$tmp/lang-scripts.err" &&
	out=$(python3 tests/pdfhyphens.py "$tmp/lang-scripts.pdf" tests/fixtures/lang-scripts-ru.hyph \
		--none-in arabic 2>&1); then
	ok "Russian words in an English briefing are hyphenated as Russian, Arabic ones not at all"
else not_ok "Russian words in an English briefing are hyphenated as Russian, Arabic ones not at all" \
	"exit $st: $(grep hyphenation "$tmp/lang-scripts.err") ${out:-}"; fi

# Arabic as the briefing's language: nothing to hyphenate in it, so no
# patterns are asked for; the Russian words keep theirs.
mkdir -p "$tmp/lang-ar"
cp tests/fixtures/minimal.md tests/fixtures/lang-scripts.md "$tmp/lang-ar/"
sed 's/^  title: .*/&\n  lang: ar/' tests/fixtures/lang-scripts.yaml >"$tmp/lang-ar/ar.yaml"
out=
"$BRIEFING" build "$tmp/lang-ar/ar.yaml" -o "$tmp/lang-ar.pdf" --template "$tmp/narrow.yaml" \
	2>"$tmp/lang-ar.err"; st=$?
if [ $st -eq 0 ] && ! grep -q 'hyphenation' "$tmp/lang-ar.err" &&
	[ "$(lang_root "$tmp/lang-ar.pdf")" = "/Lang (ar)" ] &&
	out=$(python3 tests/pdfhyphens.py "$tmp/lang-ar.pdf" tests/fixtures/lang-scripts-ru.hyph \
		--none-in arabic 2>&1); then
	ok "lang: ar asks for no patterns and never hyphenates Arabic"
else not_ok "lang: ar asks for no patterns and never hyphenates Arabic" \
	"exit $st: $(grep hyphenation "$tmp/lang-ar.err") $(lang_root "$tmp/lang-ar.pdf") ${out:-}"; fi

# A title cut short does not end on a small word of its own language: a
# Russian source's short title in an English briefing stops before "о"
# ("Переговоры в Эр-Рияде", not "... Эр-Рияде о"), and a French briefing's
# running head before "pour les".
sw=$tmp/small-words
mkdir -p "$sw"
cp tests/fixtures/minimal.md "$sw/"
printf '\nAgain [@art].\n' >>"$sw/minimal.md"
sed 's|^    title: An example article|    title: Переговоры в Эр-Рияде о перемирии на Черном море|' \
	tests/fixtures/minimal.yaml >"$sw/ru.yaml"
if "$BRIEFING" build "$sw/ru.yaml" -o "$sw/ru.pdf" -q &&
	short=$(pdftotext "$sw/ru.pdf" - | grep -m1 '^2 Writer, “') &&
	[ "$short" = "2 Writer, “Переговоры в Эр-Рияде.”" ]; then
	ok "a Russian title's short form ends before a Russian small word ($short)"
else not_ok "a Russian title's short form ends before a Russian small word" "${short:-the build failed}"; fi
# Quotation marks inside a title that the note puts in quotation marks
# are turned into single ones (Chicago 13.30), straight ones too.
sed 's|^    title: An example article|    title: "“Energy Truce” Holds as Putin’s \\"Partial\\" Plan Begins"|' \
	tests/fixtures/minimal.yaml >"$sw/nested.yaml"
if "$BRIEFING" build "$sw/nested.yaml" -o "$sw/nested.pdf" -q &&
	notes=$(pdftotext "$sw/nested.pdf" - | tr '\n' ' ') &&
	case $notes in *"A. Writer, “‘Energy Truce’ Holds as Putin’s ‘Partial’ Plan Begins,”"*"2 Writer, “‘Energy Truce’ Holds.”"*) true ;; *) false ;; esac; then
	ok "quotation marks inside a title in quotation marks are single ones"
else not_ok "quotation marks inside a title in quotation marks are single ones" "$(printf '%s' "$notes" | grep -o 'Writer, “[^”]*”' | head -2)"; fi
# A straight mark opens after a slash; one after a figure is an inch mark;
# in the French template the inner marks are “ ”, with no space inside,
# and in the English one « » inside a title are ‘ ’ as its other marks.
sed 's|^    title: An example article|    title: '"'"'The « trêve » of the "Deal"/"No Deal" 12" Guns'"'"'|' \
	tests/fixtures/minimal.yaml >"$sw/nested2.yaml"
if "$BRIEFING" build "$sw/nested2.yaml" -o "$sw/nested2.pdf" -q &&
	"$BRIEFING" build "$sw/nested2.yaml" -t a4-fr -o "$sw/nested2-fr.pdf" -q &&
	en=$(pdftotext "$sw/nested2.pdf" - | tr '\n' ' ') && fr=$(pdftotext "$sw/nested2-fr.pdf" - | tr '\n' ' ') &&
	case $en in *"“The ‘Trêve’ of the ‘Deal’/‘No Deal’ 12\" Guns,”"*) true ;; *) false ;; esac &&
	case $fr in *"« The “Trêve” of the “Deal”/“No Deal” 12\" Guns »"*) true ;; *) false ;; esac; then
	ok "straight quotation marks open after a slash, an inch mark stays, French inner marks take no space"
else not_ok "straight quotation marks open after a slash, an inch mark stays, French inner marks take no space" \
	"$(printf '%s\n%s' "$en" "$fr" | grep -o '[“«] *The[^»”]*[»”]' | head -2)"; fi
# A quotation inside a quotation inside the note's marks takes double
# ones again; a short title cut inside a quotation closes it.
sed 's|^    title: An example article|    title: "He said ‘it’s “over” for the truce’ in Riyadh"|' \
	tests/fixtures/minimal.yaml >"$sw/nested3.yaml"
if "$BRIEFING" build "$sw/nested3.yaml" -o "$sw/nested3.pdf" -q &&
	notes=$(pdftotext "$sw/nested3.pdf" - | tr '\n' ' ') &&
	case $notes in *"A. Writer, “He Said ‘It’s “Over” for the Truce’ in Riyadh,”"*"2 Writer, “He Said ‘It’s “Over.”’”"*) true ;; *) false ;; esac; then
	ok "quotations nest “ ‘ “ ” ’ ”, a short title cut inside one closes it, the full stop inside them all"
else not_ok "quotations nest “ ‘ “ ” ’ ”, a short title cut inside one closes it, the full stop inside them all" \
	"$(printf '%s' "$notes" | grep -o '[12] A*\.* *Writer, “[^,]*' | head -2)"; fi
# Marks go by their level, whatever kind the title used at it: straight
# ones inside curly ones and curly ones inside straight ones alternate as
# any others, and two quotations side by side take the same marks; a
# straight mark after a narrow no-break space opens.
for tq in 'Said “a "b" c”|“Said ‘a “B” C,’”|« Said “a ‘B’ C” »' \
	'He said "the “final” offer"|“He Said ‘the “Final” Offer,’”|« He Said “the ‘Final’ Offer” »' \
	'Les « fines » et les “grandes”|“Les ‘Fines’ Et Les ‘Grandes,’”|« Les “Fines” Et Les “Grandes” »' \
	'La « "trêve" » tient|“La ‘“trêve”’ Tient,”|« La “‘trêve’” Tient »'; do
	title=${tq%%|*}; rest=${tq#*|}; want_en=${rest%%|*}; want_fr=${rest#*|}
	printf '%s\n' "$title" | sed "s/'/''/g; s/.*/    title: '&'/" >"$sw/t.line"
	awk -v f="$sw/t.line" '/^    title: An example article$/ { getline l < f; print l; next } { print }' \
		tests/fixtures/minimal.yaml >"$sw/levels.yaml"
	if "$BRIEFING" build "$sw/levels.yaml" -o "$sw/levels.pdf" -q &&
		"$BRIEFING" build "$sw/levels.yaml" -t a4-fr -o "$sw/levels-fr.pdf" -q &&
		en=$(pdftotext "$sw/levels.pdf" - | tr '\n' ' ') && fr=$(pdftotext "$sw/levels-fr.pdf" - | tr '\n' ' ') &&
		case $en in *"$want_en"*) true ;; *) false ;; esac &&
		case $fr in *"$want_fr"*) true ;; *) false ;; esac; then
		ok "quotation marks go by their level in a title: $want_en"
	else not_ok "quotation marks go by their level in a title: $want_en" \
		"$(printf '%s\n%s' "$en" "$fr" | grep -o 'Writer, [“«][^»”]*[»”]' | head -2)"; fi
done
sed -e 's|^  title: .*|  title: Abc la trêve de la mer Noire et de l’énergie entre la Russie et l’Ukraine pour les États-Unis avec la Turquie et la France|' \
	-e 's|^  summary: \(.*\)|  summary: \1\n  lang: fr|' tests/fixtures/minimal.yaml >"$sw/fr.yaml"
if "$BRIEFING" build "$sw/fr.yaml" -t a4-fr -o "$sw/fr.pdf" -q &&
	head=$(pdftotext -f 2 -l 2 "$sw/fr.pdf" - | grep -m1 '…') &&
	case $head in *"et l’Ukraine…") true ;; *) false ;; esac; then
	ok "a French running head cut short ends before a French small word ($head)"
else not_ok "a French running head cut short ends before a French small word" "${head:-the build failed}"; fi

# --- notes cited in right-to-left text -------------------------------------------------
# A Hebrew line citing four notes is drawn last word first, but its notes
# are set at the foot of the page in the order of their numbers; a note
# cited before Arabic's comma, semicolon or question mark takes its number
# after the mark, as after "," ";" "?".
rn=$tmp/rtl-notes
rm -rf "$rn" && "$BRIEFING" init "$rn" >/dev/null 2>&1
printf '%s\n' 'שורה ראשונה [@report] ושנייה [@report] ושלישית [@report] ורביעית [@report].' '' \
	'ستستأنف [@report]، وإن أعضاء [@report]؛ هل هذا صحيح [@report]؟ نعم [@report]!' >"$rn/context.md"
"$BRIEFING" build "$rn/facts.yaml" -o "$rn/o.pdf" -q 2>"$rn/err"; st=$?
nums=$(pdftotext -enc UTF-8 "$rn/o.pdf" - 2>/dev/null | sed -n 's/^\([0-9][0-9]*\) Example Outlet, .*/\1/p' | tr '\n' ' ')
"$BRIEFING" build "$rn/facts.yaml" -o "$rn/d.pdf" --dump=doc >"$rn/dump" 2>/dev/null
marks=$(grep -A1 -E '^ *"(،|؛|؟|!)"$' "$rn/dump" | grep -c '^ *\[note ')
sorted=$(printf '%s' "$nums" | tr ' ' '\n' | sort -n | tr '\n' ' ')
if [ $st -eq 0 ] && [ "$nums" = "$sorted" ] && case $nums in "2 3 4 5 6 7 8 9 "*) true ;; *) false ;; esac &&
	[ "$marks" -eq 4 ]; then
	ok "notes cited in right-to-left text are set in order, numbered after Arabic punctuation"
else not_ok "notes cited in right-to-left text are set in order, numbered after Arabic punctuation" \
	"exit $st, notes \"$nums\", $marks of 4 marks before their note: $(cat "$rn/err")"; fi

# In a Hebrew briefing the rule above the notes starts on the right, where
# the notes' lines do (the a4 template's 45 mm rule, its text 396.85 pt
# wide from 99.213 pt).
sed 's/^  title: A new briefing$/  title: A new briefing\n  lang: he/' "$rn/facts.yaml" >"$rn/he.yaml"
rule=$("$BRIEFING" build "$rn/he.yaml" -o "$rn/he.pdf" --dump=pages 2>/dev/null | awk '$1 == "rule" && $4 == 127559 { print $2 + $4; exit }')
if [ "$rule" = "$((99213 + 396850))" ]; then
	ok "in a right-to-left briefing the rule above the notes ends at the right margin"
else not_ok "in a right-to-left briefing the rule above the notes ends at the right margin" "rule ends at ${rule:-none}"; fi

# --- a gershayim is not a quotation mark ----------------------------------------------
# צה"ל and ארה"ב keep their gershayim in a source's title (full and short
# notes, the source list) and in commentary, where smart punctuation would
# make it ”; the short note gains no closing mark for it.  A quotation
# after a one-letter prefix (ב"הארץ", "in Haaretz") is one: ב“הארץ” in the
# commentary, ב‘הארץ’ inside a title's marks.
gs=$tmp/gershayim
rm -rf "$gs" && "$BRIEFING" init "$gs" >/dev/null 2>&1
sed -i 's/^    title: An example report$/    title: '"'"'דובר צה"ל: ארה"ב תומכת בהסכם'"'"'\n    language: he/' "$gs/facts.yaml"
printf '%s\n' 'דובר צה"ל אמר כי ארה"ב תומכת [@report], כתבה ב"הארץ" היום.' >"$gs/context.md"
"$BRIEFING" build "$gs/facts.yaml" -o "$gs/o.pdf" -q 2>"$gs/err"; st=$?
gt=$(pdftotext -enc UTF-8 "$gs/o.pdf" - 2>/dev/null)
n=$(printf '%s\n' "$gt" | grep -o 'צה"ל' | wc -l)
if [ $st -eq 0 ] && [ "$n" -ge 5 ] && ! printf '%s' "$gt" | grep -q 'צה[’”]ל\|ארה[’”]ב\|”‫[^“]*’”'; then
	ok "a gershayim between Hebrew letters stays as typed in titles, notes and commentary"
else not_ok "a gershayim between Hebrew letters stays as typed in titles, notes and commentary" \
	"exit $st, $n kept: $(cat "$gs/err") $(printf '%s' "$gt" | grep 'צה')"; fi
sed -i 's/^    title: .*/    title: '"'"'כתבה ב"הארץ" היום'"'"'/' "$gs/facts.yaml"
"$BRIEFING" build "$gs/facts.yaml" -o "$gs/p.pdf" -q 2>"$gs/err"; st=$?
gt=$(pdftotext -enc UTF-8 "$gs/p.pdf" - 2>/dev/null)
if [ $st -eq 0 ] && printf '%s' "$gt" | grep -q 'כתבה ב“הארץ” היום' &&
	[ "$(printf '%s\n' "$gt" | grep -c 'ב‘הארץ’ היום')" -ge 3 ]; then
	ok "a quotation after a one-letter Hebrew prefix opens: ב“הארץ”, and ב‘הארץ’ in a title"
else not_ok "a quotation after a one-letter Hebrew prefix opens: ב“הארץ”, and ב‘הארץ’ in a title" \
	"exit $st: $(cat "$gs/err") $(printf '%s' "$gt" | grep 'הארץ')"; fi

# --- shaping: every word drawn as HarfBuzz shapes it ---------------------------------
# tests/shaping.py reads each word drawn back from the PDF (MuPDF: glyphs,
# their characters and origins) and shapes it again with hb-shape, on the
# same font file with its default features.
if /usr/bin/python3 -c 'import fitz' 2>/dev/null && command -v hb-shape >/dev/null; then
	sc=$tmp/scripts.pdf
	"$BRIEFING" build tests/fixtures/scripts.yaml -o "$sc" 2>"$tmp/scripts.err"; st=$?
	if [ $st -eq 0 ] && ! grep -q 'is not in the .* font' "$tmp/scripts.err"; then
		ok "Arabic, Hebrew, Greek and Cyrillic build with no missing glyph"
	else not_ok "Arabic, Hebrew, Greek and Cyrillic build with no missing glyph" \
		"exit $st: $(head -5 "$tmp/scripts.err")"; fi
	if out=$(/usr/bin/python3 tests/shaping.py words "$sc" templates/a4.yaml 2>&1); then
		ok "every word drawn with hb-shape's glyphs and advances ($(printf '%s\n' "$out" | tail -1))"
	else not_ok "every word drawn with hb-shape's glyphs and advances" "$out"; fi
	# A word of figures is set from its figures shaped apart only where
	# the font neither kerns nor joins them: Noto's figures are set so,
	# a fraction is not, and Liberation Serif kerns "11".
	k11=$tmp/kern11
	lib=/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf
	mkdir -p "$k11"
	cp tests/fixtures/scripts.yaml "$k11/facts.yaml"
	{ cat tests/fixtures/scripts.md
	  printf '\nFigures side by side: 1111, 2111, 11,111, 311, 4567, 98765 and 1\342\201\2042, 11\342\201\20416.\n'
	} >"$k11/scripts.md"
	sed "s|^  serif: \[NotoSerif-Regular.ttf,|  serif: [$lib,|" templates/a4.yaml >"$k11/t.yaml"
	for t in templates/a4.yaml "$k11/t.yaml"; do
		name="figures drawn as hb-shape shapes them, in $(sed -n 's/^  serif: \[\([^,]*\),.*/\1/p' "$t" | sed 's|.*/||')"
		out=
		if [ ! -r "$lib" ]; then
			not_ok "$name" "needs Liberation Serif (fonts-liberation2): make test-deps"
		elif "$BRIEFING" build "$k11/facts.yaml" -t "$t" -o "$k11/o.pdf" -q &&
			out=$(/usr/bin/python3 tests/shaping.py words "$k11/o.pdf" "$t" 2>&1); then
			ok "$name: 1111, 11,111, 1/2 ($(printf '%s\n' "$out" | tail -1))"
		else not_ok "$name" "${out:-the build failed}"; fi
	done
	# Numbers side by side in right-to-left text, in a paragraph and in a
	# footer (the last line of the file): the spaces between them are
	# right to left, so they read in the order written (UAX #9, N1).  An
	# override (RLO ... PDF) of Latin letters alone turns them round.
	bo=$tmp/bidi-order
	mkdir -p "$bo"
	cp tests/fixtures/scripts.yaml "$bo/facts.yaml"
	sed '$d' tests/fixtures/bidi-order.txt | sed G >"$bo/scripts.md"
	sed "s|^footer: {left: \"[^\"]*\"|footer: {left: \"$(tail -n 1 tests/fixtures/bidi-order.txt)\"|" \
		templates/a4.yaml >"$bo/t.yaml"
	# A readout's point with a tab between two Hebrew words, and one with
	# a line break (a literal block): both are word spaces.
	printf 'English words \327\251\327\234\327\225\327\235 \327\242\327\225\327\234\327\235 more.\nOther words \327\220\327\221\327\222 \327\223\327\224\327\225 end.\n' \
		>"$bo/ws.txt"
	python3 - "$bo/facts.yaml" "$bo/ws.txt" <<'PY'
import sys
facts, ws = sys.argv[1], open(sys.argv[2], encoding="utf-8").read().splitlines()
text = open(facts, encoding="utf-8").read()
tab = ws[0].replace(" \u05e2", "\t\u05e2")
block = ws[1].replace(" \u05d3", "\n              \u05d3")
old = "          - text: The pause covers “energy and infrastructure”.\n"
assert old in text
new = old + "            sources: [art]\n          - text: \"%s\"\n            sources: [art]\n          - text: |-\n              %s\n            sources: [art]\n" % (
    tab.replace("\t", "\\t"), block)
open(facts, "w", encoding="utf-8").write(text.replace(old + "            sources: [art]\n", new, 1))
PY
	cat tests/fixtures/bidi-order.txt "$bo/ws.txt" >"$bo/lines.txt"
	if "$BRIEFING" build "$bo/facts.yaml" -t "$bo/t.yaml" -o "$bo/o.pdf" -q &&
		out=$(/usr/bin/python3 tests/shaping.py order "$bo/o.pdf" "$bo/lines.txt" 2>&1); then
		ok "numbers and words in right-to-left text drawn in FriBidi's order ($out)"
	else not_ok "numbers and words in right-to-left text drawn in FriBidi's order" "${out:-the build failed}"; fi
	# Accents drawn as glyphs of their own (a Russian stress mark,
	# Hebrew points, Arabic vowels) copy once each and in their place:
	# each word is in a Span with its /ActualText, and each glyph's
	# ToUnicode entry stands for its own character, none twice, none
	# missing.  A precomposed "é" drawn after a decomposed one copies as
	# typed, not as the first (in pdftotext; MuPDF reads no /ActualText).
	am=$tmp/accents
	mkdir -p "$am"
	cp tests/fixtures/minimal.md "$am/"
	sed 's|^  summary: \(.*\)|  summary: \1\n  commentary:\n    context: context.md|' \
		tests/fixtures/minimal.yaml >"$am/minimal.yaml"
	python3 -c 'print("Stress: \u0432\u044b\u0445\u043e\u0301\u0434 end.\n\nPoints: \u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd end.\n\nVowels: \u0645\u064f\u062d\u064e\u0645\u064e\u0651\u062f end.\n\nFirst cafe\u0301, then caf\u00e9.")' \
		>"$am/context.md"
	if "$BRIEFING" build "$am/minimal.yaml" -o "$am/o.pdf" -q &&
		out=$(/usr/bin/python3 - "$am/o.pdf" <<'PY'
import subprocess, sys, unicodedata
import fitz
sys.path.insert(0, "tests")
from shaping import BIDI_MARKS
pdf = sys.argv[1]
poppler = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True,
                                  text=True, check=True).stdout.translate(BIDI_MARKS).split())
mupdf = "".join(page.get_text() for page in fitz.open(pdf))
bad = []
for want in ("\u0432\u044b\u0445\u043e\u0301\u0434 end", "\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd",
             "\u0645\u064f\u062d\u064e\u0645\u064e\u0651\u062f", "cafe\u0301, then caf\u00e9"):
    if want not in poppler and unicodedata.normalize("NFC", want) not in \
            unicodedata.normalize("NFC", poppler) or ("caf" in want and want not in poppler):
        bad.append("pdftotext lacks %s" % ascii(want))
# MuPDF reads the glyphs as drawn: every accent once, none unknown.
stress = "".join(ln for ln in mupdf.splitlines() if ln.startswith("Stress"))
for mark, n in (("\u064e", 2), ("\u064f", 1), ("\u0651", 1), ("\u05b8", 1), ("\u05c1", 1)):
    if mupdf.count(mark) != n:
        bad.append("MuPDF reads U+%04X %d times, not %d" % (ord(mark), mupdf.count(mark), n))
if stress.count("\u0301") != 1:
    bad.append("MuPDF reads the stress mark %d times, not once" % stress.count("\u0301"))
if "\ufffd" in mupdf:
    bad.append("MuPDF reads U+FFFD")
print("; ".join(bad) or "pdftotext and MuPDF read every accent once")
sys.exit(1 if bad else 0)
PY
		); then
		ok "accents drawn apart copy once each, and each é as typed ($out)"
	else not_ok "accents drawn apart copy once each, and each é as typed" "${out:-the build failed}"; fi
	# The spaces between right-to-left words are drawn: MuPDF, which
	# reads the glyphs as drawn, keeps "שלום עליכם" two words.
	if out=$(/usr/bin/python3 -c '
import sys, fitz
text = "".join(p.get_text() for p in fitz.open(sys.argv[1]))
line = [l for l in text.splitlines() if "\u05dd\u05d5\u05dc\u05e9" in l]
print(line[0] if line else "no line with the Hebrew name")
sys.exit(not (line and "\u05dd\u05d5\u05dc\u05e9 \u05dd\u05db\u05d9\u05dc\u05e2" in line[0]))' "$sc" 2>&1); then
		ok "the spaces between right-to-left words are drawn ($out)"
	else not_ok "the spaces between right-to-left words are drawn" "$out"; fi
	# A note's marker after a number in Hebrew, and after an Arabic quote
	# in English: the marker is no figure of the sentence, so it follows
	# the period where the reader reads on ("2006.¹" read right to left),
	# not drawn into the number.
	nm=$tmp/marker-bidi
	mkdir -p "$nm"
	cp tests/fixtures/scripts.yaml "$nm/facts.yaml"
	# Eleven notes first: the Hebrew sentence's is note 12, the Arabic
	# quote's 13, markers of two figures that must read left to right.
	{ for i in $(seq 11); do printf 'Point %d was made [@art].\n\n' "$i"; done
	  printf '%s\n\n%s\n' \
		"$(printf '\327\224\327\233\327\250\327\226\327\224 \327\221\327\251\327\240\327\252 2006 [@art]. \327\234\327\244\327\231 \327\224\327\241\327\242\327\231\327\243.')" \
		"$(printf 'The ministry said \302\253\331\204\331\206 \331\206\331\202\330\250\331\204\302\273 [@art]. Nothing else.')"
	} >"$nm/scripts.md"
	if "$BRIEFING" build "$nm/facts.yaml" -o "$nm/o.pdf" -q &&
		out=$(/usr/bin/python3 -c '
import sys, re
sys.path.insert(0, "tests")
from pdflines import drawn_texts
drawn = drawn_texts(sys.argv[1], [0])
want = ["\u00b9\u00b2\\.2006", "\u00bb\\.\u00b9\u00b3Nothing"]
found = [w for w in want if any(re.search(w, d) for d in drawn)]
print("%d of 2 drawn so" % len(found))
sys.exit(len(found) != 2)' "$nm/o.pdf" 2>&1); then
		ok "a note marker in right-to-left text follows the period and reads left to right, 12 not 21 ($out)"
	else not_ok "a note marker in right-to-left text follows the period and reads left to right" "${out:-the build failed}"; fi
	# An English briefing citing a source with an Arabic title that ends
	# in a word in brackets: the title is a field of its own (a bidi
	# isolate, brackets and all), so the date after it stays after it,
	# the note reads left to right and the brackets pair.
	at=$tmp/arabic-title
	mkdir -p "$at"
	cp tests/fixtures/minimal.md "$at/"
	sed -e 's/^    author: A. Writer$/    author: null/' -e 's/^    outlet: Example Outlet$/    outlet: Al Jazeera/' \
		-e "s/^    title: An example article$/    title: \"$(printf '\330\243\330\261\331\205\331\212\331\206\331\212\330\247 \331\210\330\243\330\260\330\261\330\250\331\212\330\254\330\247\331\206 \330\252\330\252\331\201\331\202\330\247\331\206 (\330\245\330\271\331\204\330\247\331\206)')\"/" \
		tests/fixtures/minimal.yaml >"$at/minimal.yaml"
	if "$BRIEFING" build "$at/minimal.yaml" -o "$at/o.pdf" -q &&
		out=$(/usr/bin/python3 -c '
import sys, re
sys.path.insert(0, "tests")
from pdflines import drawn_texts
drawn = drawn_texts(sys.argv[1])
# The title ends in a word in brackets: drawn from the left, ")...(".
title = "\u201c\\)[^A-Za-z()]+\\([^A-Za-z()]+"
want = {"source list": "^AlJazeera\\." + title + "\\.\u201d19March2025\\.",
        "note": "^1" + title + ",\u201dAlJazeera,19March2025"}
bad = [k for k, w in want.items() if not any(re.search(w, d) for d in drawn)]
print("not in order: " + ", ".join(bad) if bad else "source list and note in order")
sys.exit(bool(bad))' "$at/o.pdf" 2>&1); then
		ok "an Arabic title keeps to itself in an English note and source list ($out)"
	else not_ok "an Arabic title keeps to itself in an English note and source list" "${out:-the build failed}"; fi
	# A combining mark the letter's fallback font lacks (U+0301 after a
	# Hebrew or Arabic letter): drawn from a font that has it, not as a box.
	cm=$tmp/combining
	mkdir -p "$cm"
	cp tests/fixtures/scripts.yaml "$cm/facts.yaml"
	printf 'Hebrew \327\251\314\201\327\234 and Arabic \330\250\314\201\330\252, niqqud \327\251\326\270\327\201\327\234\327\225\326\271\327\235.\n' \
		>"$cm/scripts.md"
	if "$BRIEFING" build "$cm/facts.yaml" -o "$cm/o.pdf" 2>"$cm/err" && [ ! -s "$cm/err" ] &&
		out=$(/usr/bin/python3 -c '
import sys, fitz
n = sum(1 for p in fitz.open(sys.argv[1]) for s in p.get_texttrace()
        for c in s["chars"] if c[1] == 0)
print("%d glyphs .notdef" % n)
sys.exit(n > 0)' "$cm/o.pdf"); then
		ok "a combining mark missing from the letter's font is not drawn as a box ($out)"
	else not_ok "a combining mark missing from the letter's font is not drawn as a box" \
		"$(cat "$cm/err") ${out:-}"; fi
	# A list item in Arabic is indented on the right, its bullet in the
	# indent: inside the column (A4: 35 mm margins), right of every line
	# of the item's text.
	rl=$tmp/rtl-list
	mkdir -p "$rl"
	cp tests/fixtures/minimal.yaml tests/fixtures/minimal.md "$rl/"
	{ printf -- '- an English item\n- '
	  for i in $(seq 30); do printf '\331\205\330\263\330\252\331\210\331\211 '; done
	  printf '\330\255\330\261\330\250\n'
	} >"$rl/context.md"
	# and a numbered one, whose label reads right to left: ".1"
	printf '\nText between.\n\n1. \330\250\331\206\330\257 \330\243\331\210\331\204\n' >"$rl/numbered.md"
	sed -i 's|^  summary: \(.*\)|  summary: \1\n  commentary:\n    context: context.md|' "$rl/minimal.yaml"
	if "$BRIEFING" build "$rl/minimal.yaml" -o "$rl/o.pdf" -q &&
		out=$(/usr/bin/python3 -c '
import sys
sys.path.insert(0, "tests")
from pdflines import baselines
right = 595.28 - 35 / 25.4 * 72
lines = baselines(sys.argv[1])
arabic = [v for v in lines.values() if any("\u0600" <= c["c"] <= "\u06ff" for c in v)]
bullet = [c for v in arabic for c in v if c["c"] == "\u2022"]
if len(arabic) < 2 or len(bullet) != 1:
    sys.exit("%d lines of Arabic, %d bullets" % (len(arabic), len(bullet)))
text = max(c["bbox"][2] for v in arabic for c in v if c["c"] not in " \u2022")
b = bullet[0]["bbox"]
print("text to %.1f pt, bullet %.1f-%.1f pt, column to %.1f pt" % (text, b[0], b[2], right))
sys.exit(not (text < b[0] and b[2] <= right + 0.1))' "$rl/o.pdf" 2>&1); then
		ok "a right-to-left list item is indented on the right, its bullet inside the column ($out)"
	else not_ok "a right-to-left list item is indented on the right, its bullet inside the column" \
		"${out:-the build failed}"; fi
	cat "$rl/numbered.md" >>"$rl/context.md"
	if "$BRIEFING" build "$rl/minimal.yaml" -o "$rl/o2.pdf" -q &&
		out=$(/usr/bin/python3 -c '
import sys
sys.path.insert(0, "tests")
from pdflines import drawn_texts
rows = [t for t in drawn_texts(sys.argv[1], [0]) if "\u0628\u0646\u062f" in t or "\u062f\u0646\u0628" in t]
print("drawn " + (rows[0] if rows else "nothing"))
sys.exit(not (rows and rows[0].endswith(".1")))' "$rl/o2.pdf" 2>&1); then
		ok "a right-to-left numbered item reads \".1\" from the left ($out)"
	else not_ok "a right-to-left numbered item reads \".1\" from the left" "${out:-the build failed}"; fi
	# A justified Arabic paragraph whose second word is wider than the
	# column: the line of the first word alone, which has no space to
	# stretch, is set at the right, where the paragraph starts.
	lw=$tmp/rtl-long-word
	mkdir -p "$lw"
	cp tests/fixtures/minimal.yaml tests/fixtures/minimal.md "$lw/"
	{ printf '\331\205\331\202\330\257\331\205\330\251 '
	  for i in $(seq 150); do printf '\331\203'; done
	  printf ' \331\206\331\207\330\247\331\212\330\251.\n'
	} >"$lw/context.md"
	sed -i 's|^  summary: \(.*\)|  summary: \1\n  commentary:\n    context: context.md|' "$lw/minimal.yaml"
	if "$BRIEFING" build "$lw/minimal.yaml" -o "$lw/o.pdf" -q 2>/dev/null &&
		out=$(/usr/bin/python3 -c '
import sys
right = 595.28 - 35 / 25.4 * 72
sys.path.insert(0, "tests")
from pdflines import baselines
lines = baselines(sys.argv[1])
first = [v for y, v in sorted(lines.items())
         if "".join(c["c"] for c in v if c["c"] != " ") in ("\u0645\u0642\u062f\u0645\u0629", "\u0629\u0645\u062f\u0642\u0645")]
if not first:
    sys.exit("no line of the first word alone")
x0, x1 = min(c["bbox"][0] for c in first[0]), max(c["bbox"][2] for c in first[0])
print("the first word alone at %.1f-%.1f pt" % (x0, x1))
sys.exit(abs(x1 - right) > 0.5)' "$lw/o.pdf" 2>&1); then
		ok "a right-to-left line with no space to stretch is set at the right ($out)"
	else not_ok "a right-to-left line with no space to stretch is set at the right" "${out:-the build failed}"; fi
	# A source in Hebrew in the source list of a Hebrew briefing hangs
	# from the right: its first line ends at the column's edge, the next
	# 18 pt before it.  (The template gives the words around the fields
	# in Hebrew: an entry takes its direction from them, not from the
	# source's fields.)
	hs=$tmp/rtl-source
	mkdir -p "$hs"
	cp tests/fixtures/minimal.md "$hs/"
	cp templates/a4.yaml "$hs/t.yaml"
	printf 'strings:\n  months: [%s]\n  not_graded: "%s "\n  cited_p: "%s "\n' \
		"$(for m in 1 2 3 4 5 6 7 8 9 10 11 12; do printf '\327\227\327\225\327\223\327\251 %d, ' $m; done | sed 's/, $//')" \
		"$(printf '\327\234\327\220 \327\223\327\225\327\250\327\222.')" \
		"$(printf '\327\236\327\225\327\221\327\220 \327\221\327\242\327\236\327\225\327\223')" \
		>>"$hs/t.yaml"
	sed -e "s/^    author: A. Writer$/    author: \"$(printf '\327\224\327\250\327\220\327\234, \327\242\327\236\327\225\327\241')\"/" \
		-e "s/^    title: An example article$/    title: \"$(for i in $(seq 14); do printf '\327\241\327\231\327\233\327\225\327\235 \327\224\327\244\327\241\327\247\327\252 \327\220\327\251 '; done)\"/" \
		-e 's|^  summary: \(.*\)|  summary: \1\n  lang: he|' \
		tests/fixtures/minimal.yaml >"$hs/minimal.yaml"
	if "$BRIEFING" build "$hs/minimal.yaml" -t "$hs/t.yaml" -o "$hs/o.pdf" -q &&
		out=$(/usr/bin/python3 -c '
import sys
right = 595.28 - 35 / 25.4 * 72
sys.path.insert(0, "tests")
from pdflines import baselines, npages
for pno in range(npages(sys.argv[1])):
    lines = baselines(sys.argv[1], pno)
    ys = sorted(lines)
    head = [y for y in ys if "".join(c["c"] for c in lines[y]) == "Sources"]
    if not head:
        continue
    entry = [y for y in ys if y > head[0] and
             any("\u05d0" <= c["c"] <= "\u05ea" for c in lines[y])][:2]
    ends = [max(c["bbox"][2] for c in lines[y] if c["c"] != " ") for y in entry]
    print("lines end at " + ", ".join("%.1f" % e for e in ends) + " pt")
    sys.exit(not (len(ends) == 2 and abs(ends[0] - right) < 0.5 and
                  abs(ends[1] - (right - 18)) < 0.5))
sys.exit("no source list")' "$hs/o.pdf" 2>&1); then
		ok "a right-to-left entry of the source list hangs from the right ($out)"
	else not_ok "a right-to-left entry of the source list hangs from the right" "${out:-the build failed}"; fi
	# In that briefing, a short note whose locator is Latin ("para. 2")
	# reads right to left, its number at the right: the locator is a
	# field of its own, not the note's first word.
	printf '\nAgain [@art, para. 2].\n' >>"$hs/minimal.md"
	if "$BRIEFING" build "$hs/minimal.yaml" -t "$hs/t.yaml" -o "$hs/o2.pdf" -q &&
		out=$(/usr/bin/python3 -c '
import sys
sys.path.insert(0, "tests")
from pdflines import baselines, npages
for pno in range(npages(sys.argv[1])):
    for row in baselines(sys.argv[1], pno).values():
        row = sorted((c for c in row if c["c"] != " "), key=lambda c: c["origin"][0])
        text = "".join(c["c"] for c in row)
        if "para.2" in text:
            print("the note drawn as %s" % text)
            sys.exit(not row[-1]["c"].isdigit())
sys.exit("no note with para. 2")' "$hs/o2.pdf" 2>&1); then
		ok "a short note with a Latin locator in a Hebrew briefing reads right to left ($out)"
	else not_ok "a short note with a Latin locator in a Hebrew briefing reads right to left" "${out:-the build failed}"; fi
	# A briefing in Hebrew (lang: he): a table's first column is at the
	# right, and a cell or paragraph of no letters (a dash, a year) is set
	# right to left, at the right, as the text around it.
	hb=$tmp/hebrew-briefing
	mkdir -p "$hb"
	cp tests/fixtures/minimal.yaml tests/fixtures/minimal.md "$hb/"
	sed -i -e 's|^  summary: \(.*\)|  summary: \1\n  lang: he\n  commentary:\n    context: context.md|' "$hb/minimal.yaml"
	printf '%s\n\n| %s | %s |\n|:--|:--|\n| %s | 12 |\n' '— 2025' \
		"$(printf '\327\250\327\220\327\251\327\225\327\237')" "$(printf '\327\251\327\240\327\231')" '—' \
		>"$hb/context.md"
	if "$BRIEFING" build "$hb/minimal.yaml" -o "$hb/o.pdf" -q 2>/dev/null &&
		out=$(/usr/bin/python3 -c '
import sys
sys.path.insert(0, "tests")
from pdflines import baselines
right = 595.28 - 35 / 25.4 * 72
rows = baselines(sys.argv[1])
chars = [c for row in rows.values() for c in row]
def box(t):
    cs = [c for c in chars if c["c"] == t]
    return cs[0]["bbox"] if cs else None
def row_of(*texts):
    for row in rows.values():
        t = "".join(c["c"] for c in row)
        if all(x in t for x in texts):
            return row
first, second = box("\u05df"), box("\u05d9")
para = row_of("2025", "\u2014")
cell = row_of("12", "\u2014")
if not (first and second and para and cell):
    sys.exit("missing text")
para_end = max(c["bbox"][2] for c in para)
cell_dash = [c["bbox"] for c in cell if c["c"] == "\u2014"][0]
print("first column at %.1f, second at %.1f; paragraph to %.1f; the cell dash %.1f-%.1f" % (
      first[0], second[0], para_end, cell_dash[0], cell_dash[2]))
sys.exit(not (first[0] > second[0] and abs(para_end - right) < 0.5 and
              cell_dash[0] > first[0] - 30))' "$hb/o.pdf" 2>&1); then
		ok "a Hebrew briefing: tables run right to left, text of no letters at the right ($out)"
	else not_ok "a Hebrew briefing: tables run right to left, text of no letters at the right" \
		"${out:-the build failed}"; fi
	# A contents entry whose title is Hebrew is mirrored: the title at
	# the column's right, its page number at the left.
	ht=$tmp/rtl-contents
	mkdir -p "$ht"
	he=$(printf '\327\240\327\247\327\225\327\223\327\225\327\252 \327\242\327\231\327\247\327\250\327\231\327\225\327\252')
	sed "s/title: Key points}/title: \"$he\"}/" templates/a4.yaml >"$ht/t.yaml"
	if "$BRIEFING" build tests/fixtures/minimal.yaml -t "$ht/t.yaml" -o "$ht/o.pdf" -q &&
		out=$(/usr/bin/python3 -c '
import sys
right = 595.28 - 35 / 25.4 * 72
sys.path.insert(0, "tests")
from pdflines import baselines
lines = baselines(sys.argv[1])
entry = [v for y, v in sorted(lines.items())
         if any("\u05d0" <= c["c"] <= "\u05ea" for c in v) and any(c["c"].isdigit() for c in v)]
if not entry:
    sys.exit("no contents entry with a Hebrew title and a page number")
v = entry[0]
title = [c["bbox"] for c in v if "\u05d0" <= c["c"] <= "\u05ea"]
num = [c["bbox"] for c in v if c["c"].isdigit()]
print("page number to %.1f pt, title %.1f-%.1f pt" % (max(b[2] for b in num),
      min(b[0] for b in title), max(b[2] for b in title)))
sys.exit(not (max(b[2] for b in num) < min(b[0] for b in title) and
              abs(max(b[2] for b in title) - right) < 0.5))' "$ht/o.pdf" 2>&1); then
		ok "a contents entry with a Hebrew title is mirrored ($out)"
	else not_ok "a contents entry with a Hebrew title is mirrored" "${out:-the build failed}"; fi
	# A wrapped right-to-left entry whose second line starts with Latin
	# words keeps the entry's direction on it: "end" (the last word) at
	# the left, as in the heading.
	mkdir -p "$ht/wrap"
	cp tests/fixtures/minimal.md "$ht/wrap/"
	sed 's|^  summary: \(.*\)|  summary: \1\n  commentary:\n    context: c.md|' tests/fixtures/minimal.yaml >"$ht/wrap/m.yaml"
	python3 -c 'print("## " + "\u05e9\u05dc\u05d5\u05dd " * 13 + "Energy talks in Riyadh and Jeddah between parties \u05d0\u05d1\u05d2 \u05d3\u05d4\u05d5 end\n\nText.")' >"$ht/wrap/c.md"
	if "$BRIEFING" build "$ht/wrap/m.yaml" -o "$ht/wrap/o.pdf" -q &&
		out=$("$BRIEFING" build "$ht/wrap/m.yaml" -o /dev/null -q --dump=pages 2>/dev/null |
			awk '/ f0 / && / "end" / && !e { e = $2 } / f0 / && / "Energy" / && !g { g = $2 }
				END { print e, g }') &&
		set -- $out && [ "$#" -eq 2 ] && [ "$1" -lt "$2" ]; then
		ok "a wrapped right-to-left contents entry keeps its direction on every line (end at $1, Energy at $2)"
	else not_ok "a wrapped right-to-left contents entry keeps its direction on every line" "${out:-the build failed}"; fi
	check "pdftotext gives the logical text of Arabic, Hebrew, Greek, Cyrillic, café and ligatures" \
		/usr/bin/python3 tests/shaping.py text "$sc" tests/fixtures/scripts.txt
	if out=$(/usr/bin/python3 tests/shaping.py kerning "$pdf" templates/a4.yaml 2>&1); then
		ok "the sample is set kerned and with every f-ligature ($(printf '%s\n' "$out" | head -1))"
	else not_ok "the sample is set kerned and with every f-ligature" "$out"; fi
else
	not_ok "shaping read back from the PDF" \
		"needs /usr/bin/python3 with python3-fitz, and hb-shape (libharfbuzz-bin): make test-deps"
fi

# --- signed PDFs ----------------------------------------------------------------------
# Keys and certificates made here with openssl.  A signed build carries a
# PAdES B-B signature that poppler's pdfsig verifies and that one changed
# byte breaks; its signed attributes are PAdES's (no signing-time: the
# time is the dictionary's /M); nothing of the key is in the file; the
# same key and SOURCE_DATE_EPOCH give the same bytes; every numbered copy
# is signed.  The signed PDFs stay under $tmp, so the PDF/A, PDF/UA and
# reader passes below read them too.  Each bad key or certificate is an
# error at its file, exit 1, with nothing written.
sg=$tmp/sign
rm -rf "$sg" && mkdir -p "$sg/ca"
sg_ok=true
if command -v openssl >/dev/null 2>&1 && command -v pdfsig >/dev/null 2>&1; then
	# sign_pair NAME KEYUSAGE: a key and a self-signed certificate.
	sign_pair() {
		openssl req -x509 -newkey rsa:2048 -nodes -keyout "$sg/$1.key" \
			-out "$sg/$1.crt" -days 30 -subj "/CN=Briefing Desk $1/O=Test" \
			-addext "keyUsage=$2" 2>/dev/null || sg_ok=false
	}
	sign_pair desk digitalSignature,nonRepudiation
	sign_pair other digitalSignature
	sign_pair cipher keyEncipherment
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-out "$sg/ec.key" 2>/dev/null &&
		openssl req -x509 -key "$sg/ec.key" -out "$sg/ec.crt" -days 30 \
			-subj "/CN=Briefing Desk EC" 2>/dev/null || sg_ok=false
	openssl pkey -in "$sg/desk.key" -aes256 -passout pass:secret \
		-out "$sg/locked.key" 2>/dev/null || sg_ok=false
	# A certificate authority, a certificate it issued for the desk's key
	# (its chain: the authority's), and one that ran out in 2021.
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$sg/ca/ca.key" \
		-out "$sg/ca/ca.crt" -days 30 -subj "/CN=Test Authority" 2>/dev/null &&
		openssl req -new -key "$sg/desk.key" -subj "/CN=Briefing Desk issued" \
			-out "$sg/ca/desk.csr" 2>/dev/null &&
		openssl x509 -req -in "$sg/ca/desk.csr" -CA "$sg/ca/ca.crt" \
			-CAkey "$sg/ca/ca.key" -CAcreateserial -days 30 \
			-out "$sg/issued.crt" 2>/dev/null || sg_ok=false
	: >"$sg/ca/index.txt" && echo 01 >"$sg/ca/serial"
	printf '[ca]\ndefault_ca = d\n[d]\ndatabase = %s\nserial = %s\nnew_certs_dir = %s\ndefault_md = sha256\npolicy = p\n[p]\ncommonName = supplied\n' \
		"$sg/ca/index.txt" "$sg/ca/serial" "$sg/ca" >"$sg/ca/ca.cnf"
	openssl ca -batch -config "$sg/ca/ca.cnf" -selfsign -keyfile "$sg/desk.key" \
		-in "$sg/ca/desk.csr" -out "$sg/expired.crt" -notext \
		-startdate 20200101000000Z -enddate 20210101000000Z >/dev/null 2>&1 || sg_ok=false
	sg_sde=$(date +%s) # the certificates' time or later
else
	sg_ok=false
fi
if ! $sg_ok; then
	not_ok "signed PDFs" "needs openssl and pdfsig: make test-deps"
else
	sign_args="--sign-key $sg/desk.key --sign-cert $sg/desk.crt"
	# shellcheck disable=SC2086
	SOURCE_DATE_EPOCH=$sg_sde "$BRIEFING" build "$SAMPLE" -o "$sg/signed.pdf" $sign_args \
		2>"$sg/signed.err"; st=$?
	sig=$(pdfsig "$sg/signed.pdf" 2>&1)
	if [ $st -eq 0 ] && [ ! -s "$sg/signed.err" ] &&
		printf '%s' "$sig" | grep -q 'Signature Validation: Signature is Valid\.' &&
		printf '%s' "$sig" | grep -q 'Signature Type: ETSI\.CAdES\.detached' &&
		printf '%s' "$sig" | grep -q 'Signing Hash Algorithm: SHA-256' &&
		printf '%s' "$sig" | grep -q 'Total document signed' &&
		printf '%s' "$sig" | grep -q 'Signer Certificate Common Name: Briefing Desk desk'; then
		ok "a signed sample verifies in pdfsig: ETSI.CAdES.detached, SHA-256, the whole file"
	else not_ok "a signed sample verifies in pdfsig" "exit $st: $(cat "$sg/signed.err") $sig"; fi
	check "qpdf --check finds nothing wrong in the signed sample" qpdf --check "$sg/signed.pdf"
	# One byte changed, anywhere the signature covers: not valid.
	/usr/bin/python3 - "$sg/signed.pdf" "$sg/tampered.bin" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
k = d.find(b"Trump")
d[k] ^= 0x20
open(sys.argv[2], "wb").write(d)
PY
	sig=$(pdfsig "$sg/tampered.bin" 2>&1)
	if printf '%s' "$sig" | grep -q 'Signature Validation:' &&
		! printf '%s' "$sig" | grep -q 'Signature is Valid'; then
		ok "a signed sample with one byte changed does not verify ($(printf '%s' "$sig" | sed -n 's/.*Signature Validation: //p'))"
	else not_ok "a signed sample with one byte changed does not verify" "$sig"; fi
	# The signature's own bytes: its signed attributes, and no key.
	# sig_der PDF OUT: the signature's DER, zeros after it and all.
	sig_der() {
		/usr/bin/python3 - "$1" "$2" <<'PY'
import re, sys
d = open(sys.argv[1], "rb").read()
m = re.search(rb"/Contents<([0-9A-F]+)>", d)
open(sys.argv[2], "wb").write(bytes.fromhex(m.group(1).decode()))
PY
	}
	sig_der "$sg/signed.pdf" "$sg/signature.der"
	attrs=$(openssl cms -cmsout -print -inform DER -in "$sg/signature.der" 2>&1 |
		sed -n 's/^ *object: \([^ (]*\) (.*/\1/p' | LC_ALL=C sort | tr '\n' ' ')
	if [ "$attrs" = "contentType id-smime-aa-signingCertificateV2 messageDigest " ]; then
		ok "signed attributes: content type, message digest, signing-certificate-v2; no signing-time"
	else not_ok "signed attributes as PAdES B-B asks" "$attrs"; fi
	key_hex=$(openssl pkey -in "$sg/desk.key" -outform DER 2>/dev/null | od -An -tx1 -v | tr -d ' \n')
	if [ ${#key_hex} -gt 200 ] && /usr/bin/python3 - "$sg/signed.pdf" "$key_hex" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
key = bytes.fromhex(sys.argv[2])
# The key's private part: any 32 bytes of it, raw or in hex.
tail = key[len(key) // 2:]
for i in range(0, len(tail) - 32, 16):
    piece = tail[i:i + 32]
    if piece in d or piece.hex().encode() in d or piece.hex().upper().encode() in d:
        sys.exit(1)
PY
	then ok "nothing of the private key is in the signed PDF"
	else not_ok "nothing of the private key is in the signed PDF"; fi
	# shellcheck disable=SC2086
	SOURCE_DATE_EPOCH=$sg_sde "$BRIEFING" build "$SAMPLE" -o "$sg/again.pdf" $sign_args 2>/dev/null
	check "the same key and SOURCE_DATE_EPOCH give the same signed bytes" cmp "$sg/signed.pdf" "$sg/again.pdf"
	if pdfinfo "$sg/signed.pdf" >/dev/null 2>&1 &&
		[ "$(pdfsig "$sg/signed.pdf" 2>/dev/null | sed -n 's/.*Signing Time: //p')" = \
			"$(LC_ALL=C date -u -d "@$sg_sde" '+%b %d %Y %H:%M:%S')" ]; then
		ok "the signing time is SOURCE_DATE_EPOCH's"
	else not_ok "the signing time is SOURCE_DATE_EPOCH's" "$(pdfsig "$sg/signed.pdf" 2>&1 | grep 'Signing Time')"; fi
	# Every numbered copy, signed; an ECDSA key; a chain.
	# shellcheck disable=SC2086
	"$BRIEFING" build tests/fixtures/minimal.yaml -o "$sg/m.pdf" \
		--copies tests/fixtures/recipients.yaml $sign_args 2>"$sg/copies.err"; st=$?
	bad=""; n=0
	for f in "$sg"/m.pdf "$sg"/m-copy-*.pdf; do
		n=$((n + 1))
		pdfsig "$f" 2>&1 | grep -q 'Signature is Valid' || bad="$bad $f"
	done
	if [ $st -eq 0 ] && [ $n -ge 3 ] && [ -z "$bad" ]; then
		ok "the PDF and each of its $((n - 1)) numbered copies are signed and verify"
	else not_ok "every numbered copy is signed" "exit $st: $(cat "$sg/copies.err") not valid:$bad"; fi
	"$BRIEFING" build tests/fixtures/minimal.yaml -o "$sg/ec.pdf" \
		--sign-key "$sg/ec.key" --sign-cert "$sg/ec.crt" 2>"$sg/ec.err"; st=$?
	if [ $st -eq 0 ] && pdfsig "$sg/ec.pdf" 2>&1 | grep -q 'Signature is Valid'; then
		ok "an ECDSA (P-256) key signs too"
	else not_ok "an ECDSA (P-256) key signs too" "exit $st: $(cat "$sg/ec.err")"; fi
	"$BRIEFING" build tests/fixtures/minimal.yaml -o "$sg/chain.pdf" --sign-key "$sg/desk.key" \
		--sign-cert "$sg/issued.crt" --sign-chain "$sg/ca/ca.crt" 2>"$sg/chain.err"; st=$?
	sig_der "$sg/chain.pdf" "$sg/chain.der"
	subjects=$(openssl cms -cmsout -print -inform DER -in "$sg/chain.der" 2>/dev/null |
		grep -c 'subject: CN=\(Briefing Desk issued\|Test Authority\)$')
	if [ $st -eq 0 ] && [ "$subjects" = 2 ] &&
		pdfsig "$sg/chain.pdf" 2>&1 | grep -q 'Signature is Valid'; then
		ok "--sign-chain puts the issuer's certificate in the signature"
	else not_ok "--sign-chain puts the issuer's certificate in the signature" "exit $st, $subjects certificates: $(cat "$sg/chain.err")"; fi
	# A key others can read still signs, with a warning; so does a
	# build to standard output.
	cp "$sg/desk.key" "$sg/shared.key" && chmod 644 "$sg/shared.key"
	out=$("$BRIEFING" build tests/fixtures/minimal.yaml -o - --sign-key "$sg/shared.key" \
		--sign-cert "$sg/desk.crt" 2>&1 >"$sg/stdout.pdf"); st=$?
	if [ $st -eq 0 ] && [ "$out" = "$sg/shared.key: warning: the private key can be read by other users (mode 0644): anyone who reads it can sign as the desk; chmod 600 it" ] &&
		pdfsig "$sg/stdout.pdf" 2>&1 | grep -q 'Signature is Valid'; then
		ok "a key other users can read signs with a warning; -o - writes a signed PDF"
	else not_ok "a key other users can read signs with a warning; -o - writes a signed PDF" "exit $st: $out"; fi
	# Installed, the tool finds its plugin in lib/briefing.
	# shellcheck disable=SC2086
	if make -s install DESTDIR="$sg/inst" PREFIX=/usr >"$sg/inst.log" 2>&1 &&
		"$sg/inst/usr/bin/briefing" build tests/fixtures/minimal.yaml -o "$sg/inst.pdf" \
			$sign_args >>"$sg/inst.log" 2>&1 &&
		[ -s "$sg/inst/usr/lib/briefing/briefing-sign.so" ] &&
		pdfsig "$sg/inst.pdf" 2>&1 | grep -q 'Signature is Valid'; then
		ok "the installed tool signs with its plugin from lib/briefing"
	else not_ok "the installed tool signs with its plugin from lib/briefing" "$(cat "$sg/inst.log")"; fi
	rm -rf "$sg/inst"
	# A program without its plugin cannot sign: a system error (exit 3).
	mkdir -p "$sg/lonely" && cp "$BRIEFING" "$sg/lonely/briefing"
	rm -f "$sg/no.pdf"
	# shellcheck disable=SC2086
	out=$("$sg/lonely/briefing" build tests/fixtures/minimal.yaml -o "$sg/no.pdf" $sign_args 2>&1); st=$?
	if [ $st -eq 3 ] && [ ! -e "$sg/no.pdf" ] &&
		printf '%s' "$out" | grep -q '^briefing: error: cannot sign: the signing part of briefing (briefing-sign.so, beside the program or in '; then
		ok "signing without the plugin is a system error naming where it was looked for (exit 3, nothing written)"
	else not_ok "signing without the plugin is a system error naming where it was looked for" "exit $st: $out"; fi
	# sign_error NAME EXPECTED ARGS...: exit 1, that message, no PDF.
	sign_error() {
		se_name=$1 se_want=$2; shift 2
		rm -f "$sg/no.pdf"
		out=$(SOURCE_DATE_EPOCH=${se_sde:-$sg_sde} "$BRIEFING" build tests/fixtures/minimal.yaml \
			-o "$sg/no.pdf" "$@" 2>&1); st=$?
		if [ $st -eq 1 ] && [ "$out" = "$se_want" ] && [ ! -e "$sg/no.pdf" ]; then
			ok "signing: $se_name (exit 1, nothing written)"
		else not_ok "signing: $se_name" "exit $st: $out"; fi
	}
	sign_error "a missing key" \
		"$sg/none.key: error: cannot open \"$sg/none.key\": No such file or directory" \
		--sign-key "$sg/none.key" --sign-cert "$sg/desk.crt"
	sign_error "an encrypted key" \
		"$sg/locked.key: error: the private key is encrypted, and briefing asks for no passphrase (it signs unattended): decrypt it to a file only the signing account can read (openssl pkey -in KEY -out PLAIN.pem)" \
		--sign-key "$sg/locked.key" --sign-cert "$sg/desk.crt"
	sign_error "a key that is not the certificate's" \
		"$sg/other.key: error: the key does not belong to the certificate $sg/desk.crt (the certificate's public key is another)" \
		--sign-key "$sg/other.key" --sign-cert "$sg/desk.crt"
	sign_error "a certificate that expired" \
		"$sg/expired.crt: error: the certificate expired on 2021-01-01 00:00 UTC: renew it" \
		--sign-key "$sg/desk.key" --sign-cert "$sg/expired.crt"
	sign_error "a certificate that may not sign" \
		"$sg/cipher.crt: error: the certificate may not sign documents: its key usage has neither digitalSignature nor nonRepudiation" \
		--sign-key "$sg/cipher.key" --sign-cert "$sg/cipher.crt"
	sign_error "a certificate file with no certificate" \
		"$sg/desk.key: error: no certificate in PEM form (\"-----BEGIN CERTIFICATE-----\") in this file" \
		--sign-key "$sg/desk.key" --sign-cert "$sg/desk.key"
	not_before=$(openssl x509 -in "$sg/desk.crt" -noout -startdate | sed 's/^notBefore=//')
	not_before=$(LC_ALL=C date -u -d "$not_before" '+%Y-%m-%d %H:%M UTC')
	se_sde=1742342400 sign_error "a certificate not yet valid at SOURCE_DATE_EPOCH" \
		"$sg/desk.crt: error: the certificate is valid only from $not_before, after the signing time 2025-03-19 00:00 UTC (SOURCE_DATE_EPOCH)" \
		--sign-key "$sg/desk.key" --sign-cert "$sg/desk.crt"
	# A scheduled --if-changed run with nothing to build reads no key: it
	# is up to date even when the key cannot be read now; once an input
	# changes, the key is needed again.
	ic=$sg/if-changed
	mkdir -p "$ic"
	cp tests/fixtures/minimal.yaml tests/fixtures/minimal.md "$ic/"
	cp "$sg/desk.key" "$ic/k.pem" && chmod 600 "$ic/k.pem"
	"$BRIEFING" build "$ic/minimal.yaml" -o "$ic/s.pdf" --if-changed --sign-key "$ic/k.pem" \
		--sign-cert "$sg/desk.crt" 2>"$ic/1.err"; st1=$?
	mv "$ic/k.pem" "$ic/away.pem"
	out2=$("$BRIEFING" build "$ic/minimal.yaml" -o "$ic/s.pdf" --if-changed --sign-key "$ic/k.pem" \
		--sign-cert "$sg/desk.crt" 2>&1); st2=$?
	printf '\n' >>"$ic/minimal.md"
	out3=$("$BRIEFING" build "$ic/minimal.yaml" -o "$ic/s.pdf" --if-changed --sign-key "$ic/k.pem" \
		--sign-cert "$sg/desk.crt" 2>&1); st3=$?
	if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && [ "$out2" = "$ic/s.pdf is up to date" ] &&
		[ $st3 -eq 1 ] && printf '%s' "$out3" | grep -q "^$ic/k.pem: error: cannot open" &&
		pdfsig "$ic/s.pdf" 2>&1 | grep -q 'Signature is Valid'; then
		ok "--if-changed with nothing to build reads no key; a change needs it again"
	else not_ok "--if-changed with nothing to build reads no key; a change needs it again" \
		"exit $st1/$st2/$st3: $(cat "$ic/1.err") / $out2 / $out3"; fi
	# A key error and a fact error come out of one run.
	printf 'briefing:\n  title: [\n' >"$sg/broken.yaml"
	out=$("$BRIEFING" build "$sg/broken.yaml" -o "$sg/no.pdf" --sign-key "$sg/locked.key" \
		--sign-cert "$sg/desk.crt" 2>&1); st=$?
	if [ $st -eq 1 ] && printf '%s' "$out" | grep -q "^$sg/locked.key: error: the private key is encrypted" &&
		printf '%s' "$out" | grep -q "^$sg/broken.yaml:[0-9]*:[0-9]*: error:"; then
		ok "a key that cannot sign and a broken fact file are reported by one run"
	else not_ok "a key that cannot sign and a broken fact file are reported by one run" "exit $st: $out"; fi
fi
usage_case "--sign-key without --sign-cert" \
	"briefing: signing needs both --sign-key KEY and --sign-cert CERT" \
	build "$SAMPLE" -o "$tmp/u.pdf" --sign-key k.pem
usage_case "check with --sign-key" \
	"briefing: check writes nothing to sign; drop --sign-key, --sign-cert and --sign-chain" \
	check "$SAMPLE" --sign-key k.pem --sign-cert c.pem

# --- PDF/A-2b ------------------------------------------------------------------------
# Every PDF this pass wrote so far (the sample, the scripts, stress and
# French fixtures, numbered copies, SOURCE_DATE_EPOCH builds, ...; with
# the whole suite, the diagnostics corpus's too) and a title that needs
# XML escaping are read back with pikepdf (tests/pdfa.py) and validated
# by PDFBox Preflight, which must find nothing but the rules where
# PDF/A-1b, all it knows, differs from PDF/A-2b.  (The title's straight
# quotation mark and apostrophe are set curly, as all of the fact file's.)
pa=$tmp/pdfa
rm -rf "$pa" && mkdir -p "$pa/none"
sed 's/^  title: Minimal briefing$/  title: "Gas \& oil <prices> \\"now\\" it'"'"'s ]]> done"/' \
	tests/fixtures/minimal.yaml >"$pa/escape.yaml"
cp tests/fixtures/minimal.md "$pa/"
"$BRIEFING" build "$pa/escape.yaml" -o "$pa/escape.pdf" 2>"$pa/escape.err"; st=$?
if [ $st -eq 0 ] && [ ! -s "$pa/escape.err" ] &&
	[ "$(pdfinfo "$pa/escape.pdf" 2>/dev/null | sed -n 's/^Title: *//p')" = \
		'Gas & oil <prices> “now” it’s ]]> done' ]; then
	ok "a title with XML's markup characters builds"
else not_ok "a title with XML's markup characters builds" "exit $st: $(cat "$pa/escape.err")"; fi
# Characters XML cannot hold are U+FFFD in the information and the XMP
# alike.
sed 's/^  title: Minimal briefing$/  title: "Bell\\x07 and \\uFFFF end"/' \
	tests/fixtures/minimal.yaml >"$pa/control.yaml"
"$BRIEFING" build "$pa/control.yaml" -o "$pa/control.pdf" 2>"$pa/control.err"; st=$?
if [ $st -eq 0 ] &&
	[ "$(pdfinfo "$pa/control.pdf" 2>/dev/null | sed -n 's/^Title: *//p')" = 'Bell� and � end' ]; then
	ok "control characters in the title are U+FFFD in the document information"
else not_ok "control characters in the title are U+FFFD in the document information" "exit $st: $(cat "$pa/control.err")"; fi
find "$tmp" -path "$pa/none" -prune -o -type f -name '*.pdf' -print | LC_ALL=C sort |
	while IFS= read -r f; do
		[ "$(head -c 4 "$f" 2>/dev/null)" = "%PDF" ] && printf '%s\n' "$f"
	done >"$pa/list"
pa_n=$(wc -l <"$pa/list")
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pikepdf' 2>/dev/null; then
	if [ "$pa_n" -ge 10 ] && grep -q '/sample\.pdf$' "$pa/list" &&
		grep -q '/stress-a4\.pdf$' "$pa/list" && grep -q '/m-copy-01-' "$pa/list" &&
		out=$(xargs -d '\n' /usr/bin/python3 tests/pdfa.py <"$pa/list" 2>&1); then
		ok "PDF/A-2b catalog, XMP, output intent and printable links in $pa_n PDFs ($out)"
	else not_ok "PDF/A-2b catalog, XMP, output intent and printable links" "$pa_n PDFs: $out"; fi
	"$BRIEFING" build "$SAMPLE" -o "$pa/none/sample.pdf" --pdf-standard none 2>/dev/null
	check "--pdf-standard none: XMP without the PDF/A identification, no output intent" \
		/usr/bin/python3 tests/pdfa.py --none "$pa/none/sample.pdf"
else
	not_ok "PDF/A-2b read back" "needs /usr/bin/python3 with python3-pikepdf: make test-deps"
fi
# Preflight takes a few seconds; the build with the sanitizers writes the
# same PDFs, so it reads the first pass's only.
if [ "${pass:-1}" -gt 1 ]; then
	:
elif command -v java >/dev/null 2>&1 && [ -f /usr/share/java/preflight.jar ]; then
	if out=$(xargs -d '\n' /usr/bin/python3 tests/pdfa.py --preflight <"$pa/list" 2>&1); then
		ok "PDFBox Preflight: $out"
	else not_ok "PDFBox Preflight finds what PDF/A-2b forbids" "$out"; fi
else
	not_ok "PDFBox Preflight" "needs java and libpdfbox2-java: make test-deps"
fi

# --- PDF/UA-1 ------------------------------------------------------------------------
# The same PDFs, tagged by default, probed for what PDF/UA-1 asks that a
# program can decide (tests/pdfua.py: marked content, the structure tree,
# ParentTree, IDTree, links, headings, lists, tables, fonts, metadata),
# all but the one the diagnostics corpus builds with --pdf-standard a-2b.
grep -v -e '/archival-blank-title\.pdf$' "$pa/list" >"$pa/ua-list"
ua_n=$(wc -l <"$pa/ua-list")
"$BRIEFING" build "$SAMPLE" -o "$pa/none/a-2b.pdf" --pdf-standard a-2b 2>/dev/null
"$BRIEFING" build "$SAMPLE" -o "$pa/ua-1.pdf" --pdf-standard ua-1 2>/dev/null
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pikepdf' 2>/dev/null; then
	if [ "$ua_n" -ge 10 ] && grep -q '/sample\.pdf$' "$pa/ua-list" &&
		grep -q '/stress-a4\.pdf$' "$pa/ua-list" && grep -q '/scripts\.pdf$' "$pa/ua-list" &&
		grep -q '/m-copy-01-' "$pa/ua-list" &&
		out=$(xargs -d '\n' /usr/bin/python3 tests/pdfua.py <"$pa/ua-list" 2>&1); then
		ok "PDF/UA-1 structure, marked content and links in $ua_n PDFs ($out)"
	else not_ok "PDF/UA-1 structure, marked content and links" "$ua_n PDFs: $out"; fi
	check "the probe finds each defect it looks for (tests/pdfua.py --self-test)" \
		/usr/bin/python3 tests/pdfua.py --self-test
	# (the diagnostics corpus's a-2b build too, when this run made it)
	untagged="$pa/none/a-2b.pdf $pa/none/sample.pdf"
	[ -f "$tmp/archival-blank-title.pdf" ] && untagged="$untagged $tmp/archival-blank-title.pdf"
	# shellcheck disable=SC2086
	check "--pdf-standard a-2b and none: no structure tree, no marked content, no pdfuaid" \
		/usr/bin/python3 tests/pdfua.py --expect-untagged $untagged
	if /usr/bin/python3 tests/pdfua.py "$pa/ua-1.pdf" >/dev/null 2>&1 &&
		/usr/bin/python3 tests/pdfa.py --none "$pa/ua-1.pdf" >/dev/null 2>&1 &&
		/usr/bin/python3 tests/pdfa.py "$pa/none/a-2b.pdf" >/dev/null 2>&1; then
		ok "--pdf-standard ua-1 is tagged without PDF/A; a-2b is PDF/A untagged"
	else not_ok "--pdf-standard ua-1 is tagged without PDF/A; a-2b is PDF/A untagged" \
		"$(/usr/bin/python3 tests/pdfua.py "$pa/ua-1.pdf" 2>&1 | head -3)"; fi
else
	not_ok "PDF/UA-1 read back" "needs /usr/bin/python3 with python3-pikepdf: make test-deps"
fi

# Words in another script than the briefing's are in a Span with their
# script's language, as hyphenation takes it (Arabic, Hebrew, Greek and
# Russian in the English scripts fixture); the sample has none.
span_langs() {
	/usr/bin/python3 -c '
import sys, pikepdf
langs = set()
with pikepdf.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        for ins in pikepdf.parse_content_stream(page):
            if str(ins.operator) == "BDC" and str(ins.operands[0]) == "/Span":
                props = ins.operands[1]
                if isinstance(props, pikepdf.Dictionary) and "/Lang" in props:
                    langs.add(str(props.Lang))
print(" ".join(sorted(langs)))' "$1" 2>&1
}
if [ -f "$tmp/scripts.pdf" ] && [ "$(span_langs "$tmp/scripts.pdf")" = "ar el he ru" ] &&
	[ -z "$(span_langs "$pdf")" ]; then
	ok "words in another script are marked with its language (ar el he ru)"
else not_ok "words in another script are marked with its language" \
	"scripts: $(span_langs "$tmp/scripts.pdf"); sample: $(span_langs "$pdf")"; fi
# Armenian and Georgian, from the bundled templates' fallbacks (Noto's
# fonts for them), print with no missing glyph, are marked too, and,
# without patterns in Debian, are not hyphenated.
hk=$tmp/hy-ka
mkdir -p "$hk"
cp tests/fixtures/minimal.yaml "$hk/"
printf 'The treaty was called %s in Yerevan and %s in Tbilisi.\n' \
	"$(printf '\302\253\324\261\325\266\325\277\325\241\325\266\325\257\325\241\325\265\325\253\325\266\302\273')" \
	"$(printf '\342\200\236\341\203\233\341\203\250\341\203\225\341\203\230\341\203\223\341\203\235\341\203\221\341\203\230\341\203\241\342\200\234')" \
	>"$hk/minimal.md"
"$BRIEFING" build "$hk/minimal.yaml" -o "$hk/o.pdf" 2>"$hk/err"; st=$?
if [ $st -eq 0 ] && [ ! -s "$hk/err" ] && [ "$(span_langs "$hk/o.pdf")" = "hy ka" ]; then
	ok "Armenian and Georgian words are marked with their language (hy ka)"
else not_ok "Armenian and Georgian words are marked with their language" \
	"exit $st, spans: $(span_langs "$hk/o.pdf") $(cat "$hk/err")"; fi
# A Ukrainian phrase (with і) is marked uk and a Russian one (with ы) ru,
# in an English briefing; in a Ukrainian one only the Russian is marked.
cy=$tmp/cyrillic-langs
mkdir -p "$cy"
cp tests/fixtures/minimal.yaml "$cy/"
printf '%s\n' 'Kyiv said «Ми готові до переговорів» and Moscow «Мы готовы к переговорам».' >"$cy/minimal.md"
"$BRIEFING" build "$cy/minimal.yaml" -o "$cy/en.pdf" -q 2>"$cy/err"; st1=$?
sed 's/^  title: \(.*\)$/  title: \1\n  lang: uk/' "$cy/minimal.yaml" >"$cy/uk.yaml"
"$BRIEFING" build "$cy/uk.yaml" -o "$cy/uk.pdf" -q 2>>"$cy/err"; st2=$?
if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && [ "$(span_langs "$cy/en.pdf")" = "ru uk" ] &&
	[ "$(span_langs "$cy/uk.pdf")" = "en ru" ]; then
	ok "a Cyrillic phrase is marked with its language by its letters (uk, ru)"
else not_ok "a Cyrillic phrase is marked with its language by its letters" \
	"exit $st1/$st2, spans: $(span_langs "$cy/en.pdf") / $(span_langs "$cy/uk.pdf") $(cat "$cy/err")"; fi
# A Ukrainian quotation over several lines, its і only on the first: the
# lines after it go on in Ukrainian.
mkdir -p "$cy/long"
cp tests/fixtures/minimal.yaml "$cy/long/"
/usr/bin/python3 -c 'import sys; open(sys.argv[1], "w").write("Kyiv said «Україна і партнери " + " ".join(["план мир на море за два"] * 14) + "» and left.\n")' \
	"$cy/long/minimal.md"
if "$BRIEFING" build "$cy/long/minimal.yaml" -o "$cy/long/o.pdf" -q &&
	[ "$(pdftotext "$cy/long/o.pdf" - | grep -c 'план мир')" -ge 2 ] &&
	[ "$(span_langs "$cy/long/o.pdf")" = "uk" ]; then
	ok "a Cyrillic phrase over several lines keeps the language its first line shows"
else not_ok "a Cyrillic phrase over several lines keeps the language its first line shows" \
	"spans: $(span_langs "$cy/long/o.pdf")"; fi

# --- the benchmark's Typst peer reads the document dump -------------------------------
# make bench sets the sample beside Typst from a peer written off
# --dump doc (tests/peer/typst.py, Python's standard library only): it
# must read every line of the dump, so that a change to the dump cannot
# stop the benchmark unnoticed.  Typst itself is not needed here.
if out=$(python3 tests/peer/typst.py --briefing "$BRIEFING" --out-dir "$tmp/peer" 2>&1) &&
	printf '%s' "$out" | grep -q '130 notes' && grep -q 'footnote' "$tmp/peer/briefing.typ"; then
	ok "the benchmark's Typst peer reads the sample's document dump ($out)"
else not_ok "the benchmark's Typst peer reads the sample's document dump" "$out"; fi

# --- check writes nothing -------------------------------------------------------------
before=$(ls -A data | sort)
"$BRIEFING" check "$SAMPLE" >/dev/null 2>&1
if [ "$(ls -A data | sort)" = "$before" ]; then ok "check writes nothing"
else not_ok "check writes nothing"; fi

out=$("$BRIEFING" check tests/diag/unknown-party.yaml 2>&1); st=$?
if [ $st -eq 1 ] && [ "$out" = 'tests/diag/unknown-party.yaml:38:17: error: unknown party "ua" (not listed under "parties")' ]; then
	ok "check reports errors with exit 1"
else not_ok "check reports errors with exit 1" "exit $st: $out"; fi

out=$("$BRIEFING" build tests/no-such-file.yaml -o "$tmp/x.pdf" 2>&1); st=$?
if [ $st -eq 1 ] && [ "$out" = 'tests/no-such-file.yaml: error: cannot open "tests/no-such-file.yaml": No such file or directory' ]; then
	ok "a missing fact file: exit 1"
else not_ok "a missing fact file: exit 1" "exit $st: $out"; fi
