# Fault injection, sourced by tests/run.sh (which defines ok, not_ok,
# check, $BRIEFING, $SAMPLE, $top and $tmp).  Every fault must end the run
# with one line naming the file and the cause, exit status 3 for a system
# fault (unwritable directory, full disk) and 1 for an input fault (a bad
# font, a missing commentary file), the previous PDF at the output path
# byte for byte as it was, and no temporary file (.NAME.pdf.XXXXXX) left
# beside it.  Mounts made here are undone before the next test.

fz=$tmp/faults
rm -rf "$fz" && mkdir -p "$fz"
# The previous PDF: a different briefing from the one the faulty runs
# build, so that a replaced output cannot pass for a kept one.
"$BRIEFING" build tests/fixtures/minimal.yaml -o "$fz/previous.pdf" 2>/dev/null
"$BRIEFING" build "$SAMPLE" -o "$fz/sample.pdf" 2>/dev/null
if [ -s "$fz/previous.pdf" ] && [ -s "$fz/sample.pdf" ] &&
	! cmp -s "$fz/previous.pdf" "$fz/sample.pdf"; then
	ok "faults: the reference PDFs build"
else not_ok "faults: the reference PDFs build"; fi

# fault_run OUT ARGS...: runs the tool, OUT holding the previous PDF
# first (when OUT is not empty); sets $st and leaves stderr in $fz/err.
fault_run() {
	fout=$1; shift
	[ -n "$fout" ] && cp "$fz/previous.pdf" "$fout"
	"$BRIEFING" "$@" >/dev/null 2>"$fz/err"
	st=$?
}

# fault_judge NAME STATUS OUT TEXT...: passes when the run exited with
# STATUS, said one line holding every TEXT, left OUT (when not empty)
# as the previous PDF and no temporary file beside it.
fault_judge() {
	name=$1 want=$2 jout=$3; shift 3
	why=""
	[ "$st" = "$want" ] || why="exit $st, want $want;"
	[ "$(wc -l <"$fz/err")" -eq 1 ] || why="$why not exactly one line;"
	for text in "$@"; do
		grep -qF -- "$text" "$fz/err" || why="$why no \"$text\";"
	done
	if [ -n "$jout" ]; then
		cmp -s "$fz/previous.pdf" "$jout" || why="$why previous PDF not kept;"
		for left in "$(dirname "$jout")/.$(basename "$jout")".*; do
			[ -e "$left" ] && [ "${left%.lock}" = "$left" ] &&
				why="$why temporary file $left left;"
		done
	fi
	if [ -z "$why" ]; then ok "fault: $name"
	else not_ok "fault: $name" "$why $(cat "$fz/err")"; fi
}

# --- output directory not writable (exit 3) ----------------------------------
printf 'not a directory\n' >"$fz/afile"
fault_run "" build "$SAMPLE" -o "$fz/afile/out.pdf"
fault_judge "output under a regular file" 3 "" \
	"briefing: error: cannot create a file beside \"$fz/afile/out.pdf\": Not a directory"
[ "$(cat "$fz/afile")" = "not a directory" ] || not_ok "fault: the file in the way is untouched"

fault_run "" build "$SAMPLE" -o /proc/briefing-out.pdf
fault_judge "output in /proc" 3 "" \
	"briefing: error: cannot create a file beside \"/proc/briefing-out.pdf\": "

# A read-only directory: a read-only mount (root ignores permissions),
# or, for anyone else, a directory without write permission.
ro=$fz/ro
mkdir -p "$ro"
if [ "$(id -u)" -eq 0 ]; then
	if mount -t tmpfs -o size=4m tmpfs "$ro" 2>/dev/null; then
		cp "$fz/previous.pdf" "$ro/b.pdf"
		if mount -o remount,ro "$ro" 2>/dev/null; then
			fault_run "" build "$SAMPLE" -o "$ro/b.pdf"
			fault_judge "output on a read-only file system" 3 "$ro/b.pdf" \
				"briefing: error: cannot create a file beside \"$ro/b.pdf\": Read-only file system"
		fi
		umount "$ro"
	fi
else
	cp "$fz/previous.pdf" "$ro/b.pdf"
	chmod 555 "$ro"
	fault_run "" build "$SAMPLE" -o "$ro/b.pdf"
	chmod 755 "$ro"
	fault_judge "output in a directory without write permission" 3 "$ro/b.pdf" \
		"briefing: error: cannot create a file beside \"$ro/b.pdf\": Permission denied"
fi

# --- a full disk (exit 3) ----------------------------------------------------------
# A file size limit well under the PDF's size (ulimit counts 512- or
# 1024-byte blocks, depending on the shell): write() fails with EFBIG.
blocks=$(($(stat -c %s "$fz/sample.pdf") / 2048))
cp "$fz/previous.pdf" "$fz/limited.pdf"
(ulimit -f "$blocks" && exec "$BRIEFING" build "$SAMPLE" -o "$fz/limited.pdf") \
	>/dev/null 2>"$fz/err"
st=$?
fault_judge "a file size limit (ulimit -f) is a write error, not a signal" 3 "$fz/limited.pdf" \
	"briefing: error: cannot write \"$fz/limited.pdf\": File too large"

# The edition state is written before the PDF: when even it does not fit,
# the previous PDF is untouched.
cp "$fz/previous.pdf" "$fz/nostate.pdf"
(ulimit -f 2 && exec "$BRIEFING" build "$SAMPLE" -o "$fz/nostate.pdf") \
	>/dev/null 2>"$fz/err"
st=$?
fault_judge "an edition state that cannot be written stops the build before the PDF" 3 \
	"$fz/nostate.pdf" \
	"briefing: error: cannot write \"$fz/nostate.pdf.state\": File too large"

had_lock=0
[ -e /dev/.full.lock ] && had_lock=1
fault_run "" build "$SAMPLE" -o /dev/full
fault_judge "output to /dev/full" 3 "" \
	"briefing: error: cannot write \"/dev/full\": No space left on device"
if [ "$had_lock" -eq 0 ] && [ -e /dev/.full.lock ]; then
	not_ok "fault: a device as output needs no lock file in /dev"
fi

# A file system that fills up: room for the previous PDF and half the
# new one.  Only where a tmpfs can be mounted (root).
full=$fz/full
mkdir -p "$full"
kb=$((($(stat -c %s "$fz/previous.pdf") + $(stat -c %s "$fz/sample.pdf") / 2) / 1024))
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o "size=${kb}k" tmpfs "$full" 2>/dev/null; then
	fault_run "$full/b.pdf" build "$SAMPLE" -o "$full/b.pdf"
	fault_judge "a full file system" 3 "$full/b.pdf" \
		"briefing: error: cannot write \"$full/b.pdf\": No space left on device"
	umount "$full"
fi

# --- the output path (exit 3) ---------------------------------------------------------
mkdir -p "$fz/outdir"
for out in DIR DIR/; do
	fault_run "" build "$SAMPLE" -o "$fz/outdir${out#DIR}"
	fault_judge "a directory as output ($out)" 3 "" \
		"briefing: error: cannot write \"$fz/outdir${out#DIR}\": Is a directory"
done
if [ -z "$(ls -A "$fz/outdir")" ] && [ ! -e "$fz/.outdir.lock" ]; then
	ok "fault: no lock file made beside or inside a directory given as output"
else not_ok "fault: no lock file made beside or inside a directory given as output" \
	"$(ls -A "$fz" "$fz/outdir")"; fi

fault_run "" build "$SAMPLE" -o "$fz/no/such/dir/b.pdf"
fault_judge "output in a directory that does not exist" 3 "" \
	"briefing: error: cannot create a file beside \"$fz/no/such/dir/b.pdf\": No such file or directory"
[ ! -e "$fz/no" ] || not_ok "fault: a missing output directory is not created"

# --- the outputs are one transaction (exit 3) -------------------------------------------
# The state file, the depfile, every copy and the PDF are all written or
# none: when one cannot be, every file keeps its bytes, and no temporary
# file stays.
tx=$fz/txn
mkdir -p "$tx"
cp tests/fixtures/minimal.yaml tests/fixtures/minimal.md tests/fixtures/recipients.yaml "$tx/"
# tx_keep: remembers every file of $tx; tx_kept: they are all as they
# were, nothing was added (a temporary file, a lock excepted).
tx_files() { (cd "$tx" && find . -type f ! -name '*.lock' | sort); }
tx_keep() { (cd "$tx" && tx_files | xargs sha256sum) >"$fz/txn.sums"; }
tx_kept() {
	(cd "$tx" && sha256sum -c --quiet "$fz/txn.sums") >/dev/null 2>&1 &&
		[ "$(tx_files | wc -l)" -eq "$(wc -l <"$fz/txn.sums")" ]
}
"$BRIEFING" build "$tx/minimal.yaml" -o "$tx/m.pdf" --copies "$tx/recipients.yaml" \
	-M "$tx/m.d" 2>/dev/null
tx_keep
sed -i 's/^  edition: 2/  edition: 3/' "$tx/minimal.yaml"
tx_keep
fault_run "" build "$tx/minimal.yaml" -o "$tx/m.pdf" --copies "$tx/recipients.yaml" \
	-M "$tx/no/such/dir/m.d"
if [ "$st" = 3 ] && grep -qF "cannot create a file beside \"$tx/no/such/dir/m.d\"" "$fz/err" && tx_kept; then
	ok "fault: a depfile that cannot be written replaces nothing"
else not_ok "fault: a depfile that cannot be written replaces nothing" \
	"exit $st: $(cat "$fz/err"); $(ls -A "$tx")"; fi
mv "$tx/m-copy-02-ministry-of-defence-policy-directorate.pdf" "$tx/copy2.keep"
mkdir "$tx/m-copy-02-ministry-of-defence-policy-directorate.pdf"
tx_keep
fault_run "" build "$tx/minimal.yaml" -o "$tx/m.pdf" --copies "$tx/recipients.yaml" -M "$tx/m.d"
if [ "$st" = 3 ] && grep -qF "cannot write \"$tx/m-copy-02-ministry-of-defence-policy-directorate.pdf\": Is a directory" "$fz/err" &&
	tx_kept; then
	ok "fault: a copy that cannot be written replaces no copy, PDF, state or depfile"
else not_ok "fault: a copy that cannot be written replaces no copy, PDF, state or depfile" \
	"exit $st: $(cat "$fz/err"); $(ls -A "$tx")"; fi
rmdir "$tx/m-copy-02-ministry-of-defence-policy-directorate.pdf"
mv "$tx/copy2.keep" "$tx/m-copy-02-ministry-of-defence-policy-directorate.pdf"
# A shorter list of recipients: the old edition's copy for the one no
# longer listed goes; a file named like a copy that this tool did not
# write (no /Copy entry) and any other file stay.
head -8 "$tx/recipients.yaml" >"$tx/two.yaml"
printf 'not a copy\n' >"$tx/m-copy-04-notes.pdf"
cp "$SAMPLE" "$tx/m-copy-05-briefing.pdf"
"$BRIEFING" build "$tx/minimal.yaml" -o "$tx/m.pdf" --copies "$tx/two.yaml" 2>"$fz/err"; st=$?
if [ "$st" = 0 ] && [ ! -e "$tx/m-copy-03-olena-kovalenko.pdf" ] &&
	pdfinfo "$tx/m-copy-02-ministry-of-defence-policy-directorate.pdf" 2>/dev/null | grep -q '^Pages:' &&
	[ -e "$tx/m-copy-04-notes.pdf" ] && [ -e "$tx/m-copy-05-briefing.pdf" ] &&
	[ -e "$tx/recipients.yaml" ] && [ -e "$tx/m.pdf" ]; then
	ok "copies for recipients no longer listed are removed, and nothing else"
else not_ok "copies for recipients no longer listed are removed, and nothing else" \
	"exit $st: $(cat "$fz/err"); $(ls -A "$tx")"; fi

# --- fonts named by a template (exit 1) -----------------------------------------------
fz_fonts=$fz/badfonts
mkdir -p "$fz_fonts"
python3 - /usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf "$fz_fonts" <<'EOF'
# Damaged copies of a good TrueType font, one fault each.
import hashlib, os, struct, sys

src = open(sys.argv[1], 'rb').read()
out = sys.argv[2]


def write(name, data):
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)


def noise(seed, n):
    b = b''
    while len(b) < n:
        seed = hashlib.sha256(seed).digest()
        b += seed
    return b[:n]


tab = {}
for i in range(struct.unpack_from('>H', src, 4)[0]):
    rec = 12 + 16 * i
    off, length = struct.unpack_from('>II', src, rec + 8)
    tab[src[rec:rec + 4].decode('latin-1')] = (rec, off, length)


def patched(edits):
    b = bytearray(src)
    for tag, at, fmt, value in edits:
        struct.pack_into(fmt, b, tab[tag][1] + at, value)
    return bytes(b)


def cmap4():
    """Offset of the Windows Unicode subtable and its segment count."""
    off = tab['cmap'][1]
    for i in range(struct.unpack_from('>H', src, off + 2)[0]):
        pid, eid, sub = struct.unpack_from('>HHI', src, off + 4 + 8 * i)
        if (pid, eid) == (3, 1):
            break
    return off + sub, struct.unpack_from('>H', src, off + sub + 6)[0] // 2


def glyph_of(code):
    sub, seg = cmap4()
    i = next(i for i in range(seg)
             if code <= struct.unpack_from('>H', src, sub + 14 + 2 * i)[0])
    start, = struct.unpack_from('>H', src, sub + 16 + 2 * seg + 2 * i)
    delta, = struct.unpack_from('>h', src, sub + 16 + 4 * seg + 2 * i)
    ro_at = sub + 16 + 6 * seg + 2 * i
    ro, = struct.unpack_from('>H', src, ro_at)
    if ro == 0:
        return (code + delta) & 0xFFFF
    g, = struct.unpack_from('>H', src, ro_at + ro + 2 * (code - start))
    return (g + delta) & 0xFFFF


long_loca = struct.unpack_from('>h', src, tab['head'][1] + 50)[0] == 1
sub, seg = cmap4()
write('empty.ttf', b'')
write('noise.ttf', b'\x89' + noise(b'noise', 4095))
write('garbage.ttf', b'\0\1\0\0' + noise(b'garbage', 4092))
write('cut-directory.ttf', src[:40])
write('truncated.ttf', src[:len(src) // 2])
write('cff.ttf', b'OTTO' + src[4:])
b = bytearray(src)
b[tab['glyf'][0]:tab['glyf'][0] + 4] = b'glyx'
write('no-glyf.ttf', bytes(b))
write('units-per-em.ttf', patched([('head', 18, '>H', 0)]))
write('no-glyphs.ttf', patched([('maxp', 4, '>H', 0)]))
write('metrics.ttf', patched([('hhea', 34, '>H', 60000)]))
write('loca.ttf', patched([('loca', 4, '>I', 0xFFFFFFF0) if long_loca
                           else ('loca', 2, '>H', 0xFFFF)]))
b = bytearray(src)
struct.pack_into('>H', b, sub + 14 + 2 * (seg - 1), 0xFFFE)
write('cmap-end.ttf', bytes(b))
b = bytearray(src)
first = next(i for i in range(seg)
             if struct.unpack_from('>H', src, sub + 14 + 2 * i)[0] >= 0x41)
struct.pack_into('>H', b, sub + 16 + 4 * seg + 2 * first, 0x7FFF)
struct.pack_into('>H', b, sub + 16 + 6 * seg + 2 * first, 0)
write('cmap-glyph.ttf', bytes(b))
b = bytearray(src)
name = tab['name'][1]
for i in range(struct.unpack_from('>H', src, name + 2)[0]):
    at = name + 6 + 12 * i + 6
    if struct.unpack_from('>H', src, at)[0] == 6:
        struct.pack_into('>H', b, at, 66)
write('no-name.ttf', bytes(b))
space = glyph_of(0x20)
nmetrics = struct.unpack_from('>H', src, tab['hhea'][1] + 34)[0]
write('space.ttf', patched([('hmtx', 4 * min(space, nmetrics - 1), '>H', 0)]))
write('restricted.ttf', patched([('OS/2', 8, '>H', 0x0002)]))
EOF
mkdir -p "$fz_fonts/directory.ttf"
tline=$(grep -n '^  serif: ' templates/a4.yaml | cut -d: -f1)
# font_case FILE WHAT TEXT...: a template with FILE as its serif face;
# the error is at the template's "serif:" value, naming the file and TEXTs.
font_case() {
	font=$1 what=$2; shift 2
	sed "s|^  serif: .*|  serif: ./$font|" templates/a4.yaml >"$fz_fonts/t.yaml"
	fault_run "$fz_fonts/b.pdf" build "$SAMPLE" -o "$fz_fonts/b.pdf" --template "$fz_fonts/t.yaml"
	fault_judge "a template's font: $what ($font)" 1 "$fz_fonts/b.pdf" \
		"$fz_fonts/t.yaml:$tline:10: error: " "\"$fz_fonts/./$font\"" "$@"
}
usable='is not a usable TrueType font: '
font_case absent.ttf "missing" ': No such file or directory'
font_case directory.ttf "a directory" 'is not a regular file'
font_case empty.ttf "empty" 'is not a TrueType font'
font_case noise.ttf "random bytes" 'is not a TrueType font'
font_case cff.ttf "CFF outlines" 'has PostScript (CFF) outlines'
font_case garbage.ttf "random bytes after a TrueType signature" "$usable"
font_case cut-directory.ttf "cut inside its table directory" \
	"${usable}the file ends inside its table directory"
font_case truncated.ttf "cut in half" "${usable}table \"" 'it is truncated or damaged'
font_case no-glyf.ttf "no glyf table" "${usable}the required table \"glyf\" is missing"
font_case units-per-em.ttf "unitsPerEm 0" "${usable}its unitsPerEm is 0, not 16 to 16384"
font_case no-glyphs.ttf "no glyphs" "${usable}it has no glyphs"
font_case metrics.ttf "more metrics than glyphs" "${usable}it has 60000 horizontal metrics for "
font_case loca.ttf "glyph offsets past the glyf table" "${usable}glyph " 'lies outside the glyf table'
font_case cmap-end.ttf "character map not ending at U+FFFF" \
	"${usable}the character map does not end at U+FFFF"
font_case cmap-glyph.ttf "character map beyond the glyphs" "${usable}the character map sends U+"
font_case no-name.ttf "no PostScript name" "${usable}it has no PostScript name (name ID 6)"
font_case space.ttf "a space of no width" "${usable}its space has no width"
font_case restricted.ttf "a licence that forbids embedding" \
	"${usable}its licence forbids embedding a subset of it (OS/2 fsType 0x0002)"

# A font without the glyphs the text needs (Noto Sans Math has Latin but
# no Cyrillic) builds, with a warning per character at its first place:
# the notes are set first, so "З" is first met in the source's title.
sed 's|^  serif: .*|  serif: NotoSansMath-Regular.ttf|' templates/a4.yaml >"$fz_fonts/latin.yaml"
"$BRIEFING" build tests/fixtures/unicode.yaml -o "$fz_fonts/latin.pdf" --template "$fz_fonts/latin.yaml" \
	>/dev/null 2>"$fz/err"
st=$?
if [ $st -eq 0 ] &&
	grep -qxF 'tests/fixtures/unicode.yaml:19:12: warning: character U+0417 ("З") is not in the serif font; it prints as a box' "$fz/err" &&
	grep -qF 'warning: character U+043B ("л") is not in the serif font; it prints as a box' "$fz/err" &&
	! grep -v ': warning: ' "$fz/err" | grep -q . &&
	pdffonts "$fz_fonts/latin.pdf" 2>/dev/null | grep -q 'NotoSansMath'; then
	ok "fault: a font lacking Cyrillic prints boxes and warns for each character"
else not_ok "fault: a font lacking Cyrillic prints boxes and warns for each character" \
	"exit $st: $(cat "$fz/err")"; fi

# --- commentary files (exit 1) ---------------------------------------------------------
fz_data=$fz/data
fresh_data() {
	rm -rf "$fz_data" && mkdir -p "$fz_data" && cp data/*.yaml data/*.md "$fz_data/"
}
fz_facts=$fz_data/$(basename "$SAMPLE")
cline=$(grep -n '^    context: context.md' "$SAMPLE" | cut -d: -f1)
fresh_data
rm "$fz_data/context.md"
fault_run "$fz_data/b.pdf" build "$fz_facts" -o "$fz_data/b.pdf"
fault_judge "a commentary file missing" 1 "$fz_data/b.pdf" \
	"$fz_facts:$cline:14: error: cannot open \"$fz_data/context.md\": No such file or directory"
mkdir "$fz_data/context.md"
fault_run "$fz_data/b.pdf" build "$fz_facts" -o "$fz_data/b.pdf"
fault_judge "a directory in place of a commentary file" 1 "$fz_data/b.pdf" \
	"$fz_facts:$cline:14: error: \"$fz_data/context.md\" is not a regular file"
rmdir "$fz_data/context.md"
mkfifo "$fz_data/context.md"
cp "$fz/previous.pdf" "$fz_data/b.pdf"
timeout 60 "$BRIEFING" build "$fz_facts" -o "$fz_data/b.pdf" >/dev/null 2>"$fz/err"
st=$?
fault_judge "a FIFO in place of a commentary file is refused, not waited on" 1 "$fz_data/b.pdf" \
	"$fz_facts:$cline:14: error: \"$fz_data/context.md\" is not a regular file"

# An archived copy beside the fact file (no --archive-dir) that is a
# FIFO, or a sparse file of 16 GB: refused at its name within seconds,
# neither waited on nor hashed whole.
fz_arch=$fz/archive
rm -rf "$fz_arch" && mkdir -p "$fz_arch"
cp tests/fixtures/quotes.yaml tests/fixtures/quotes.md "$fz_arch/"
aline=$(grep -n '^    archive: harbour-report.txt' "$fz_arch/quotes.yaml" | cut -d: -f1)
mkfifo "$fz_arch/harbour-report.txt"
for cmd in check build; do
	set -- "$cmd" "$fz_arch/quotes.yaml"
	[ "$cmd" = build ] && set -- "$@" -o "$fz_arch/q.pdf"
	[ "$cmd" = build ] && cp "$fz/previous.pdf" "$fz_arch/q.pdf"
	timeout 10 "$BRIEFING" "$@" >/dev/null 2>"$fz/err"; st=$?
	fault_judge "an archived copy that is a FIFO is refused, not waited on ($cmd)" 1 \
		"$([ "$cmd" = build ] && echo "$fz_arch/q.pdf")" \
		"$fz_arch/quotes.yaml:$aline:14: error: \"$fz_arch/harbour-report.txt\" is not a regular file"
done
rm "$fz_arch/harbour-report.txt"
if truncate -s 16G "$fz_arch/harbour-report.txt" 2>/dev/null; then
	cp "$fz/previous.pdf" "$fz_arch/q.pdf"
	timeout 10 "$BRIEFING" build "$fz_arch/quotes.yaml" -o "$fz_arch/q.pdf" >/dev/null 2>"$fz/err"; st=$?
	fault_judge "a sparse archived copy of 16 GB is refused at once, not hashed" 1 "$fz_arch/q.pdf" \
		"$fz_arch/quotes.yaml:$aline:14: error: \"$fz_arch/harbour-report.txt\" is larger than 67108864 bytes"
	rm -f "$fz_arch/harbour-report.txt"
fi

# Inputs are read before the run takes the output's lock, so holding the
# lock holds the run just after it read them: then an input goes away.
# while_locked OUT TEMPLATE ACTION...: runs a build of $fz_facts into OUT
# while another process holds OUT's lock, does ACTION once the build
# waits for the lock, then releases it; sets $st (or 99 when the build
# was never seen waiting), stderr in $fz/err.
while_locked() {
	wout=$1 wtpl=$2; shift 2
	rm -f "$fz/held" "$fz/release"
	python3 tests/hold-lock.py "$(dirname "$wout")/.$(basename "$wout").lock" "$fz/held" "$fz/release" &
	fz_holder=$!
	k=0
	while [ ! -e "$fz/held" ] && [ $k -lt 1000 ]; do sleep 0.01; k=$((k + 1)); done
	"$BRIEFING" build "$fz_facts" -o "$wout" --template "$wtpl" \
		>/dev/null 2>"$fz/err" &
	fz_run=$!
	k=0
	until readlink "/proc/$fz_run/fd/"* 2>/dev/null | grep -qF "/.$(basename "$wout").lock"; do
		[ $k -lt 1000 ] || break
		sleep 0.01
		k=$((k + 1))
	done
	"$@"
	: >"$fz/release"
	wait $fz_holder
	wait $fz_run
	st=$?
	[ $k -lt 1000 ] || st=99
}

fresh_data
"$BRIEFING" build "$fz_facts" -o "$fz_data/ref.pdf" 2>/dev/null
cp "$fz/previous.pdf" "$fz_data/m.pdf"
swap_for_dir() { rm "$1" && mkdir "$1"; }
while_locked "$fz_data/m.pdf" a4 swap_for_dir "$fz_data/context.md"
if [ $st -eq 0 ] && [ ! -s "$fz/err" ] && [ -d "$fz_data/context.md" ] &&
	cmp -s "$fz_data/ref.pdf" "$fz_data/m.pdf"; then
	ok "fault: a commentary file removed after it was read changes nothing"
else not_ok "fault: a commentary file removed after it was read changes nothing" \
	"exit $st: $(cat "$fz/err")"; fi

# The inputs' digest is of the files as read before the wait: a file
# edited while the run waits makes the next --if-changed build rebuild.
fresh_data
cp "$fz/previous.pdf" "$fz_data/m.pdf"
append_later() { sleep 0.3; printf '\nAdded while the run waited.\n' >>"$1"; }
while_locked "$fz_data/m.pdf" a4 append_later "$fz_data/context.md"
st1=$st
out=$("$BRIEFING" build "$fz_facts" -o "$fz_data/m.pdf" --if-changed 2>&1)
st2=$?
if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && ! printf '%s' "$out" | grep -q 'up to date' &&
	pdftotext "$fz_data/m.pdf" - 2>/dev/null | grep -q 'Added while the run waited'; then
	ok "fault: a file edited while a run waits is rebuilt by the next --if-changed run"
else not_ok "fault: a file edited while a run waits is rebuilt by the next --if-changed run" \
	"exit $st1 then $st2: $out"; fi

# Fonts are read after the lock: one that goes away is an input error.
fresh_data
mkdir -p "$fz_data/fonts"
cp /usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf "$fz_data/fonts/"
sed "s|^  serif: .*|  serif: fonts/NotoSerif-Regular.ttf|" templates/a4.yaml >"$fz_data/t.yaml"
cp "$fz/previous.pdf" "$fz_data/m.pdf"
while_locked "$fz_data/m.pdf" "$fz_data/t.yaml" rm "$fz_data/fonts/NotoSerif-Regular.ttf"
fault_judge "a font file removed during the run" 1 "$fz_data/m.pdf" \
	"$fz_data/t.yaml:$tline:10: error: cannot open \"$fz_data/fonts/NotoSerif-Regular.ttf\": No such file or directory"
# $fz stays until the suite ends, so that the PDFs written here (the one
# with boxes for missing characters among them) can be read back too.
