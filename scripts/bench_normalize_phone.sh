#!/usr/bin/env bash
# Phone normalisation throughput: `warroom normalize --kind phone --region TH` against the same
# work in Python `phonenumbers` (parse + possible-length check + is_valid + E.164 + type + region
# per line, NDJSON out), on the same 1,000,000 generated lines, in the same run.
#
#   scripts/bench_normalize_phone.sh [LINES]        (default 1000000)
#
# Environment: WARROOM_PYTHON (default .venv/bin/python, with requirements-test.txt installed),
# SEED (default 42), KEEP=1 to keep the work directory.
# Needs GNU time at /usr/bin/time (apt-get install time).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lines="${1:-1000000}"
seed="${SEED:-42}"
python="${WARROOM_PYTHON:-$root/.venv/bin/python}"
bin="$root/target/release/warroom"

[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
[ -x "$python" ] || { echo "no Python at $python: run cargo xtask test (creates .venv)" >&2; exit 2; }
"$python" -c 'import phonenumbers' 2>/dev/null \
    || { echo "phonenumbers missing in $python: pip install -r requirements-test.txt" >&2; exit 2; }

(cd "$root" && cargo build --release -p warroom-cli --quiet)
"$bin" normalize --help >/dev/null 2>&1 || { echo "$bin has no normalize subcommand" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/bench-phone.XXXXXX")"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT

echo "generating $lines lines (seed $seed, read with region TH)..." >&2
"$python" "$root/scripts/phone_diff.py" --seed "$seed" --count "$lines" --inputs-only --region TH \
    > "$work/phones.txt"

cat > "$work/normalize_phone.py" <<'PY'
"""Python equivalent of `warroom normalize --kind phone --region TH`: one NDJSON record a line."""
import json
import sys

import phonenumbers as pn
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType, ValidationResult

TYPES = {
    PhoneNumberType.FIXED_LINE: "fixed_line", PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    PhoneNumberType.TOLL_FREE: "toll_free", PhoneNumberType.PREMIUM_RATE: "premium_rate",
    PhoneNumberType.SHARED_COST: "shared_cost", PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PERSONAL_NUMBER: "personal_number", PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "uan", PhoneNumberType.VOICEMAIL: "voicemail",
    PhoneNumberType.UNKNOWN: "unknown",
}
region = sys.argv[1]
out = sys.stdout
for line in sys.stdin:
    value = line.rstrip("\n")
    rec = {"input": value, "kind": "phone", "canonical": None, "region": None, "type": None,
           "valid": False, "error": None}
    try:
        n = pn.parse(value, region)
        reason = pn.is_possible_number_with_reason(n)
        if reason != ValidationResult.IS_POSSIBLE:
            rec["error"] = {"code": "length", "message": str(reason)}
        else:
            rec["canonical"] = pn.format_number(n, PhoneNumberFormat.E164)
            rec["valid"] = pn.is_valid_number(n)
            rec["type"] = TYPES.get(pn.number_type(n), "unknown")
            r = pn.region_code_for_number(n)
            rec["region"] = r if r and r != "001" else None
    except NumberParseException as e:
        rec["error"] = {"code": str(e.error_type), "message": str(e)}
    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
PY

# Runs a command under GNU time; prints "<wall seconds> <peak RSS KiB>".
measure() {
    local log="$work/time.log"
    /usr/bin/time -v -o "$log" "$@" < "$work/phones.txt" > /dev/null
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
        /Maximum resident set size/ { rss = $2 }
        END { printf "%.2f %d\n", wall, rss }' "$log"
}

echo "timing Rust..." >&2
read -r rust_wall rust_rss < <(measure "$bin" normalize --kind phone --region TH)
echo "timing Python..." >&2
read -r py_wall py_rss < <(measure "$python" "$work/normalize_phone.py" TH)

# Sanity check, not timed: on the first 100,000 lines both must give the same canonicals.
head -n 100000 "$work/phones.txt" > "$work/head.txt"
"$bin" normalize --kind phone --region TH < "$work/head.txt" > "$work/rust.ndjson"
"$python" "$work/normalize_phone.py" TH < "$work/head.txt" > "$work/py.ndjson"
agree="$("$python" - "$work/rust.ndjson" "$work/py.ndjson" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
b = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
same = sum(1 for x, y in zip(a, b) if (x["canonical"], x["valid"]) == (y["canonical"], y["valid"]))
print(f"{same}/{len(a)} (lines {len(a)} vs {len(b)})")
PY
)"

cpu="$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
mem="$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
ratio="$(awk -v r="$rust_wall" -v p="$py_wall" 'BEGIN { if (r > 0) printf "%.1f", p / r; else print "inf" }')"
per_rust="$(awk -v w="$rust_wall" -v n="$lines" 'BEGIN { printf "%.0f", n / w }')"
per_py="$(awk -v w="$py_wall" -v n="$lines" 'BEGIN { printf "%.0f", n / w }')"

cat <<EOF
machine: $(nproc) cores ($cpu), $mem, $(uname -sr)
input: $lines lines, phone_diff.py --seed $seed --inputs-only --region TH
| implementation | wall time | lines/s | peak RSS |
|---|---|---|---|
| warroom normalize (Rust, release) | ${rust_wall} s | ${per_rust} | $((rust_rss / 1024)) MiB |
| Python phonenumbers $("$python" -c 'import phonenumbers; print(phonenumbers.__version__)') ($("$python" -c 'import platform; print(platform.python_version())')) | ${py_wall} s | ${per_py} | $((py_rss / 1024)) MiB |
speed-up: ${ratio}x
canonical+valid agreement on the first 100,000 lines: $agree
EOF
