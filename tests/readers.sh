# Every PDF the suite wrote, read by five readers; sourced by tests/run.sh
# once, after every pass of the other tests (it defines ok, not_ok, $tmp,
# $top and $VERIFY).
#
# Each file under $tmp whose name ends in .pdf and which starts with %PDF
# goes through pdf-verify (qpdf, poppler, MuPDF, Ghostscript) and through
# PDF.js (tests/pdfjs/check.mjs, with --tagged for a tagged PDF: every
# text item inside a structure element or an artifact); any complaint
# from any of them, or a reader missing, fails the file.  Files named *.pdf that are not PDFs (the
# placeholders the diagnostics corpus leaves to prove that a failed run
# keeps the previous file) are skipped.  A file with the same bytes as one
# already read (the plain and the sanitizer pass write the same PDFs) gets
# that file's result, so each distinct PDF is read once.  READERS_JOBS
# files (default 2) are read at a time.
# shellcheck shell=sh disable=SC2154

rd_dir=$tmp/readers.d
rd_seen=$tmp/readers.seen
rm -rf "$rd_dir"
mkdir -p "$rd_dir" "$rd_seen"
rd_start=$(date +%s)

# What keeps a reader from running at all is said once, then again in
# every file's result.
rd_setup=""
[ -x "$VERIFY" ] || rd_setup="$VERIFY not found"
if ! command -v node >/dev/null 2>&1; then
	rd_setup="${rd_setup:+$rd_setup; }node not found (Debian package nodejs); run make deps"
elif [ ! -d "$top/tests/pdfjs/node_modules/pdfjs-dist" ]; then
	rd_setup="${rd_setup:+$rd_setup; }pdfjs-dist is not installed in tests/pdfjs; run make deps"
fi
[ -z "$rd_setup" ] || not_ok "all five readers are installed" "$rd_setup"

# The PDFs, as "HASH PATH" lines; those to read, as "HASH\nPATH" pairs.
find "$tmp" \( -path "$rd_dir" -o -path "$rd_seen" \) -prune -o \
	-type f -name '*.pdf' -print | LC_ALL=C sort >"$rd_dir/names"
: >"$rd_dir/pdfs"
: >"$rd_dir/queue"
while IFS= read -r rd_file; do
	[ "$(head -c 4 "$rd_file" 2>/dev/null)" = "%PDF" ] || continue
	rd_hash=$(sha256sum <"$rd_file" | cut -c1-64)
	printf '%s %s\n' "$rd_hash" "$rd_file" >>"$rd_dir/pdfs"
	if [ ! -e "$rd_seen/$rd_hash.first" ]; then
		printf '%s\n' "$rd_file" >"$rd_seen/$rd_hash.first"
		printf '%s\n%s\n' "$rd_hash" "$rd_file" >>"$rd_dir/queue"
	fi
done <"$rd_dir/names"

# Read each file of the queue: SEEN/HASH.out holds what the failing
# readers said, SEEN/HASH.status is "0" when every reader accepted it.
if [ -z "$rd_setup" ] && [ -s "$rd_dir/queue" ]; then
	rd_timeout=""
	command -v timeout >/dev/null 2>&1 && rd_timeout="timeout 600"
	# shellcheck disable=SC2016
	xargs -d '\n' -n 2 -P "${READERS_JOBS:-2}" sh -c '
		dir=$1 verify=$2 pdfjs=$3 limit=$4 hash=$5 file=$6
		$limit "$verify" "$file" </dev/null >"$dir/$hash.verify" 2>&1
		vst=$?
		# A tagged PDF is also read as assistive technology reads it:
		# every text item in a structure element or an artifact.
		tagged=""
		grep -qa "/StructTreeRoot" "$file" && tagged=--tagged
		$limit node "$pdfjs" "$file" $tagged </dev/null >"$dir/$hash.pdfjs" 2>&1
		jst=$?
		: >"$dir/$hash.out"
		# pdf-verify passes over a reader that is not installed; here
		# all four must have read the file.
		if [ $vst -ne 0 ] || grep -q "not installed" "$dir/$hash.verify"; then
			echo "pdf-verify (exit $vst):" >>"$dir/$hash.out"
			grep -e FAIL -e "not installed" "$dir/$hash.verify" >>"$dir/$hash.out" ||
				cat "$dir/$hash.verify" >>"$dir/$hash.out"
		fi
		if [ $jst -ne 0 ]; then
			echo "pdf.js (exit $jst):" >>"$dir/$hash.out"
			cat "$dir/$hash.pdfjs" >>"$dir/$hash.out"
		fi
		if [ -s "$dir/$hash.out" ]; then echo 1; else echo 0; fi >"$dir/$hash.status"
	' readers "$rd_seen" "$VERIFY" "$top/tests/pdfjs/check.mjs" "$rd_timeout" \
		<"$rd_dir/queue"
fi

rd_count=0
while read -r rd_hash rd_file; do
	rd_count=$((rd_count + 1))
	rd_name="every reader accepts ${rd_file#"$tmp"/}"
	if ! grep -qx "$rd_hash" "$rd_dir/queue"; then
		rd_name="$rd_name (same bytes as read in an earlier pass)"
	elif [ "$(cat "$rd_seen/$rd_hash.first")" != "$rd_file" ]; then
		rd_first=$(cat "$rd_seen/$rd_hash.first")
		rd_name="$rd_name (same bytes as ${rd_first#"$tmp"/})"
	fi
	if [ -n "$rd_setup" ]; then
		not_ok "$rd_name" "$rd_setup"
	elif [ "$(cat "$rd_seen/$rd_hash.status" 2>/dev/null)" = 0 ]; then
		ok "$rd_name"
	elif [ -e "$rd_seen/$rd_hash.status" ]; then
		not_ok "$rd_name" "$(cat "$rd_seen/$rd_hash.out")"
	else
		not_ok "$rd_name" "the readers did not finish"
	fi
done <"$rd_dir/pdfs"

if [ "$rd_count" -eq 0 ]; then
	not_ok "every reader accepts every PDF written" "no PDF found under $tmp"
elif [ -z "$rd_setup" ]; then
	echo "     $rd_count PDF files, $(($(wc -l <"$rd_dir/queue") / 2)) of them read" \
		"(the others repeat bytes already read), in $(($(date +%s) - rd_start)) s"
fi
rm -rf "$rd_dir"
