#!/bin/sh
# The test suite: unit tests (cmocka), the diagnostics and hostile-input
# corpora, golden dumps, the saved fuzzing corpus, end-to-end checks on
# real PDFs, fault injection, valgrind, and every PDF written read by five
# readers.  Ends with "N passed, N failed".
#
#   tests/run.sh                  everything, with build/briefing and
#                                 build/unit-tests
#   tests/run.sh --sanitizers     the same, and the sections that run the
#                                 program again with the binaries in
#                                 build-san/ (AddressSanitizer, UBSan, LSan)
#   tests/run.sh SECTION...       only these sections, of: unit diag golden
#                                 fuzz schema e2e faults valgrind readers
#                                 (readers reads the PDFs the others wrote)
#   BRIEFING=... UNIT=... tests/run.sh    other binaries
#   UPDATE=1 tests/run.sh         rewrite tests/diag/*.err and *.status and
#                                 the golden dumps in tests/golden/*/
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
configs="${BRIEFING:-build/briefing}:${UNIT:-build/unit-tests}"
if [ "${1:-}" = --sanitizers ]; then
	configs="$configs build-san/briefing:build-san/unit-tests"
	shift
fi
sections=" $* "
all_sections=" unit diag golden fuzz schema e2e faults valgrind readers "
for s in $sections; do
	case $all_sections in
	*" $s "*) ;;
	*) echo "tests/run.sh: no section \"$s\" (sections:$all_sections)" >&2
	   exit 2 ;;
	esac
done
[ "$sections" = "  " ] && sections=$all_sections
# want SECTION: the section was asked for.
want() { case $sections in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
SAMPLE=data/ceasefire-2025-03-18.yaml
VERIFY=$top/../shared/tools/pdf-verify
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
tmp=$root
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok   $1"; }
not_ok() {
	failed=$((failed + 1))
	echo "FAIL $1"
	[ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/     /'
	return 0
}
check() { # NAME COMMAND...: passes when the command succeeds
	name=$1; shift
	if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name" "$out"; fi
}

unit_tests() {
	echo "== unit tests ($UNIT)"
	if [ -x "$UNIT" ]; then
		"$UNIT" >"$tmp/unit.out" 2>&1
		ust=$?
		cat "$tmp/unit.out"
		n=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$tmp/unit.out" |
			awk '{s += $1} END {print s + 0}')
		f=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$tmp/unit.out" |
			awk '{s += $1} END {print s + 0}')
		passed=$((passed + n))
		failed=$((failed + f))
		[ "$n" -gt 0 ] || not_ok "unit tests ran" "no unit test reported a result"
		[ "$ust" -eq 0 ] || [ "$f" -gt 0 ] ||
			not_ok "unit tests exit cleanly" "exit status $ust"
	else
		not_ok "unit tests built" "$UNIT is missing"
	fi
}

diag_corpus() {
	echo "== diagnostics corpus (tests/diag) and hostile input (tests/hostile)"
	for yaml in tests/diag/*.yaml tests/hostile/*.yaml; do
		name=$(basename "$yaml" .yaml)
		dir=$(dirname "$yaml")
		args=""
		[ -f "$dir/$name.args" ] && args=$(cat "$dir/$name.args")
		# An earlier good PDF must survive a failed run untouched.
		printf 'previous good PDF\n' >"$tmp/$name.pdf"
		# shellcheck disable=SC2086
		(cd "$dir" && timeout 120 "$BRIEFING" build "$name.yaml" -o "$tmp/$name.pdf" $args \
			>/dev/null 2>"$tmp/$name.err")
		status=$?
		if [ "${UPDATE:-0}" = 1 ]; then
			cp "$tmp/$name.err" "$dir/$name.err"
			echo "$status" >"$dir/$name.status"
		fi
		want=$(cat "$dir/$name.status" 2>/dev/null || echo "?")
		if [ "$status" != "$want" ]; then
			not_ok "$dir/$name: exit status" "got $status, want $want"
		elif ! diff -u "$dir/$name.err" "$tmp/$name.err" >"$tmp/diff" 2>&1; then
			not_ok "$dir/$name: diagnostics" "$(cat "$tmp/diff")"
		elif [ "$want" = 0 ] && [ "${args#*-o -}" = "$args" ] &&
			[ "$(head -c 5 "$tmp/$name.pdf")" != "%PDF-" ]; then
			not_ok "$dir/$name: PDF written"
		elif [ "$want" != 0 ] && [ "$(cat "$tmp/$name.pdf")" != "previous good PDF" ]; then
			not_ok "$dir/$name: previous PDF kept"
		elif ls -a "$tmp" | grep -v '\.lock$' | grep -q "^\.$name\.pdf\."; then
			not_ok "$dir/$name: no temporary file left"
		else
			ok "$dir/$name"
		fi
	done
}

fuzz_corpus() {
	echo "== the saved fuzzing corpus (tests/fuzz/corpus), replayed"
	for t in facts markdown pipeline image; do
		bin=$(dirname "$BRIEFING")/fuzz-$t
		dir=tests/fuzz/corpus/$t
		n=$(find "$dir" -type f 2>/dev/null | wc -l)
		if [ ! -x "$bin" ]; then
			not_ok "fuzz corpus $t" "$bin is missing"
		elif [ "$n" -eq 0 ]; then
			not_ok "fuzz corpus $t" "$dir is empty"
		elif out=$(timeout 900 "$bin" "$dir" 2>&1); then
			ok "fuzz corpus $t: $n inputs without a crash, leak or sanitizer report"
		else
			not_ok "fuzz corpus $t" "$(printf '%s\n' "$out" | tail -30)"
		fi
	done
}

schema_agreement() {
	echo "== the JSON Schema and the checker agree (tests/schema.py)"
	if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import yaml, jsonschema' 2>/dev/null; then
		/usr/bin/python3 tests/schema.py --briefing "$BRIEFING" >"$tmp/schema.out" 2>&1
		sst=$?
		grep -v '^ok' "$tmp/schema.out" | grep -v 'passed, .* failed$'
		n=$(grep -c '^ok ' "$tmp/schema.out")
		f=$(grep -c '^FAIL ' "$tmp/schema.out")
		passed=$((passed + n))
		failed=$((failed + f))
		[ "$n" -gt 0 ] || not_ok "schema agreement ran" "$(cat "$tmp/schema.out")"
		[ "$sst" -eq 0 ] || [ "$f" -gt 0 ] || not_ok "schema agreement exits cleanly" "exit $sst"
	else
		not_ok "schema agreement" "/usr/bin/python3 with python3-yaml and python3-jsonschema is missing"
	fi
}

# One pass over the sections that run a build of the program, each pass in
# a directory of its own under $root.
pass=0
for config in $configs; do
	BRIEFING=${config%%:*}
	UNIT=${config#*:}
	case $BRIEFING in /*) ;; *) BRIEFING=$top/$BRIEFING ;; esac
	case $UNIT in /*) ;; *) UNIT=$top/$UNIT ;; esac
	pass=$((pass + 1))
	tmp=$root/pass$pass
	mkdir -p "$tmp"
	echo "=== suite with $BRIEFING"
	if want unit; then unit_tests; fi
	if want diag; then diag_corpus; fi
	if want golden; then
		echo "== golden dumps of the document tree and the pages (tests/golden)"
		. tests/golden.sh
	fi
	if want fuzz; then fuzz_corpus; fi
	# The schema is compared with the checker's answers once.
	if want schema && [ $pass -eq 1 ]; then schema_agreement; fi
	if want e2e; then
		echo "== end to end"
		. tests/e2e.sh
	fi
	if want faults; then
		echo "== fault injection (tests/faults.sh)"
		. tests/faults.sh
	fi
done
tmp=$root

if want valgrind; then
echo "=== memory checks under valgrind (build/briefing)"
if command -v valgrind >/dev/null 2>&1 && [ -x "$top/build/briefing" ]; then
	# Definite and indirect leaks and every memory error fail the test.
	mkdir -p "$tmp/vg"
	vg() { # NAME STATUS ARGS...: the run exits with STATUS and memcheck
		# reports nothing (it would exit 99)
		name=$1 want=$2; shift 2
		out=$(valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect \
			"$top/build/briefing" "$@" 2>&1)
		st=$?
		if [ $st -eq "$want" ] && ! printf '%s' "$out" | grep -q '^=='; then
			ok "valgrind: $name"
		else not_ok "valgrind: $name" "exit $st: $out"; fi
	}
	vg "the sample builds with no memory error or leak" 0 \
		build "$SAMPLE" -o "$tmp/vg-sample.pdf"
	vg "the Unicode fixture with three copies" 0 build tests/fixtures/unicode.yaml \
		-o "$tmp/vg/unicode.pdf" --copies tests/fixtures/recipients.yaml
	vg "a fact file with errors" 1 check tests/diag/unknown-source.yaml
	vg "figures of every image kind, floated, with a logo" 0 build \
		tests/fixtures/figures.yaml --template tests/golden/logo/logo.yaml \
		-o "$tmp/vg/figures.pdf"
	vg "broken and oversized images" 1 build tests/diag/figure-images.yaml \
		--allow-outside -o "$tmp/vg/images.pdf"
	vg "hostile Markdown" 0 build tests/hostile/md-deep-quotes.yaml \
		-o "$tmp/vg/deep.pdf"
else
	not_ok "valgrind memcheck" "valgrind or build/briefing is missing"
fi
fi

# Each distinct PDF of every pass, read once.
if want readers; then
	echo "=== every PDF the suite wrote, read by five readers (tests/readers.sh)"
	. tests/readers.sh
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
