#!/usr/bin/env python3
"""Phone-number writings and what Python `phonenumbers` makes of them.

The oracle of `crates/normalize/tests/phone_differential.rs`: it generates, deterministically
from a seed, phone numbers of 15 regions (from libphonenumber's example numbers, with random
digit mutations so that valid, possible-but-invalid and impossible numbers all appear) in
national, international and messy writings, and records what `phonenumbers` (pinned in
requirements-test.txt to the metadata version the Rust crate embeds) says of each.

    scripts/phone_diff.py --seed 7 --count 100000 > cases.ndjson

writes one JSON object per line:

    {"input": "081-234-5678", "region": "TH", "writing": "national", "unicode": false,
     "py_valid": true, "py_e164": "+66812345678", "py_error": null,
     "py_possible": "IS_POSSIBLE", "py_type": "mobile", "py_region": "TH"}

- `region`: the default region both sides parse with;
- `writing`: the class of writing (see WRITINGS); `unicode`: the writing uses digits or signs
  outside ASCII (full-width, Thai, Devanagari, Myanmar, Khmer, Lao, Arabic-Indic);
- `py_e164`: E.164 whenever `phonenumbers.parse` succeeds, valid or not; `py_valid`:
  `is_valid_number`; `py_possible`: `is_possible_number_with_reason`; `py_type`:
  `number_type` in snake case; `py_region`: `region_code_for_number`;
- `py_error`: the `NumberParseException` type name when parsing fails (then the other `py_`
  fields are null/false).

    scripts/phone_diff.py --seed 7 --count 1000000 --inputs-only --region TH > lines.txt

writes only the inputs, one per line, all meant to be read with the default region TH (numbers of
other regions are then written internationally): the benchmark input.
"""

import argparse
import json
import random
import sys

try:
    import phonenumbers as pn
    from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType
    from phonenumbers.phonemetadata import PhoneMetadata
except ImportError:  # pragma: no cover
    sys.stderr.write(
        "phone_diff.py: the Python package phonenumbers is missing; run `cargo xtask test` "
        "(or pip install -r requirements-test.txt)\n"
    )
    sys.exit(3)

REGIONS = ["TH", "MM", "KH", "LA", "VN", "PH", "MY", "CN", "JP", "KR", "IN", "US", "GB", "AU", "SG"]

TYPES = [
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.PAGER,
    PhoneNumberType.UAN,
    PhoneNumberType.VOICEMAIL,
]

TYPE_NAMES = {
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PREMIUM_RATE: "premium_rate",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PERSONAL_NUMBER: "personal_number",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
    PhoneNumberType.UNKNOWN: "unknown",
}

REASON_NAMES = {
    pn.ValidationResult.IS_POSSIBLE: "IS_POSSIBLE",
    pn.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "IS_POSSIBLE_LOCAL_ONLY",
    pn.ValidationResult.INVALID_COUNTRY_CODE: "INVALID_COUNTRY_CODE",
    pn.ValidationResult.TOO_SHORT: "TOO_SHORT",
    pn.ValidationResult.INVALID_LENGTH: "INVALID_LENGTH",
    pn.ValidationResult.TOO_LONG: "TOO_LONG",
}

ERROR_NAMES = {
    NumberParseException.INVALID_COUNTRY_CODE: "INVALID_COUNTRY_CODE",
    NumberParseException.NOT_A_NUMBER: "NOT_A_NUMBER",
    NumberParseException.TOO_SHORT_AFTER_IDD: "TOO_SHORT_AFTER_IDD",
    NumberParseException.TOO_SHORT_NSN: "TOO_SHORT_NSN",
    NumberParseException.TOO_LONG: "TOO_LONG",
}

# How people in each region dial abroad (one of the prefixes the metadata knows).
DIAL_OUT = {
    "TH": "001", "MM": "00", "KH": "001", "LA": "00", "VN": "00", "PH": "00", "MY": "00",
    "CN": "00", "JP": "010", "KR": "001", "IN": "00", "US": "011", "GB": "00", "AU": "0011",
    "SG": "001",
}

# Hotlines and emergency numbers people report: police, scam hotlines, ambulance...
SHORT_CODES = {
    "TH": ["1441", "191", "1599", "1195", "1300", "1669", "1213"],
    "MM": ["199", "191", "192"],
    "KH": ["117", "118", "119", "1280"],
    "LA": ["191", "1190", "195"],
    "VN": ["113", "114", "115", "111"],
    "PH": ["911", "8888", "117"],
    "MY": ["999", "997", "15999"],
    "CN": ["110", "120", "96110", "12321"],
    "JP": ["110", "119", "189", "188", "#9110"],
    "KR": ["112", "119", "1332", "118"],
    "IN": ["1930", "100", "112", "1098", "181"],
    "US": ["911", "988", "311", "411"],
    "GB": ["999", "101", "111", "159"],
    "AU": ["000", "112", "131444", "1800"],
    "SG": ["999", "995", "1799", "1800"],
}

# Digit sets of scripts people type numbers in, by the code point of their zero.
SCRIPT_ZEROS = {
    "fullwidth": 0xFF10,
    "thai": 0x0E50,
    "devanagari": 0x0966,
    "myanmar": 0x1040,
    "khmer": 0x17E0,
    "lao": 0x0ED0,
    "arabic_indic": 0x0660,
}

# Which script a region's people would use beside ASCII.
REGION_SCRIPT = {
    "TH": "thai", "MM": "myanmar", "KH": "khmer", "LA": "lao", "IN": "devanagari",
    "CN": "fullwidth", "JP": "fullwidth", "KR": "fullwidth",
}

WRITINGS = [
    # (name, weight)
    ("e164", 8),
    ("international", 10),
    ("national", 14),
    ("national_digits", 8),
    ("idd_00", 6),
    ("idd_local", 6),
    ("rfc3966", 5),
    ("messy_separators", 10),
    ("messy_label_ext", 8),
    ("stray_letters", 5),
    ("unicode_fullwidth", 5),
    ("unicode_script", 5),
    ("random_shape", 6),
    ("short_code", 4),
    ("trunk_in_brackets", 3),
    ("wrong_region_national", 3),
]

LABELS = ["Tel: ", "tel ", "Phone: ", "Mobile: ", "โทร ", "call ", "No. ", "☎ ", "TEL:", "電話 "]
EXTENSIONS = [" ext. {}", " ext {}", " x{}", " #{}", ";ext={}", " extension {}", ",,{}", " x {}"]


def build_bases():
    """(region, country code, national significant number) of every example number."""
    bases = []
    for region in REGIONS:
        for t in TYPES:
            ex = pn.example_number_for_type(region, t)
            if ex is not None:
                bases.append((region, ex.country_code, pn.national_significant_number(ex)))
    return bases


def mutate(rng, region, nsn):
    """A national significant number near `nsn`: kept, re-drawn tail, random, or a wrong length."""
    r = rng.random()
    digits = list(nsn)
    if r < 0.12:
        return nsn
    if r < 0.72:
        keep = rng.randint(min(2, len(digits)), max(2, len(digits) - 1))
        for i in range(keep, len(digits)):
            digits[i] = str(rng.randint(0, 9))
        return "".join(digits)
    if r < 0.82:
        return digits[0] + "".join(str(rng.randint(0, 9)) for _ in range(len(digits) - 1))
    if r < 0.91:
        for _ in range(rng.randint(1, 2)):
            if len(digits) > 2:
                del digits[rng.randrange(1, len(digits))]
        return "".join(digits)
    for _ in range(rng.randint(1, 3)):
        digits.insert(rng.randrange(1, len(digits) + 1), str(rng.randint(0, 9)))
    return "".join(digits)


def group(rng, digits, sep=None):
    """Digits in groups of 2 to 4 joined by a separator."""
    if sep is None:
        sep = rng.choice([" ", "-", ".", " ", "  ", " - "])
    out, i = [], 0
    while i < len(digits):
        n = rng.randint(2, 4)
        out.append(digits[i : i + n])
        i += n
    return sep.join(out)


def to_script(s, zero, plus_too=False):
    out = []
    for c in s:
        if "0" <= c <= "9":
            out.append(chr(zero + ord(c) - ord("0")))
        elif plus_too and c == "+":
            out.append("\uFF0B")
        elif plus_too and zero == 0xFF10 and c == "-":
            out.append("\uFF0D")
        elif plus_too and zero == 0xFF10 and c in "()":
            out.append("\uFF08" if c == "(" else "\uFF09")
        else:
            out.append(c)
    return "".join(out)


def number_object(code, nsn):
    """A PhoneNumber for formatting, even for numbers that do not parse."""
    n = pn.PhoneNumber(country_code=code, national_number=int(nsn) if nsn else 0)
    if len(nsn) > 1 and nsn[0] == "0":
        n.italian_leading_zero = True
        zeros = 1
        while zeros < len(nsn) - 1 and nsn[zeros] == "0":
            zeros += 1
        if zeros != 1:
            n.number_of_leading_zeros = zeros
    return n


def national_prefix(region):
    return PhoneMetadata.metadata_for_region(region).national_prefix or ""


def pick_writing(rng):
    total = sum(w for _, w in WRITINGS)
    x = rng.uniform(0, total)
    for name, w in WRITINGS:
        x -= w
        if x <= 0:
            return name
    return WRITINGS[-1][0]


_OWN = {}


def generate(rng, bases, fixed_region=None):
    """One (input, default region, writing, unicode) case."""
    region, code, example = rng.choice(bases)
    if fixed_region is not None and rng.random() < 0.4:
        # The benchmark reads everything as one agency would: a good share of its own numbers.
        own = _OWN.get(fixed_region)
        if own is None:
            own = _OWN[fixed_region] = [b for b in bases if b[0] == fixed_region]
        if own:
            region, code, example = rng.choice(own)
    nsn = mutate(rng, region, example)
    writing = pick_writing(rng)
    national_writings = {
        "national", "national_digits", "messy_separators", "messy_label_ext", "stray_letters",
        "unicode_fullwidth", "unicode_script", "random_shape", "short_code",
    }
    # A national writing read with another region's default: a common slip in shared data.
    if writing == "wrong_region_national" and fixed_region is None:
        parse_region = rng.choice(REGIONS)
    # International writings are read with any default region; national ones with their own.
    if fixed_region is not None:
        parse_region = fixed_region
        if region != fixed_region and writing in national_writings | {"wrong_region_national"} and writing != "random_shape":
            writing = rng.choice(["e164", "international", "rfc3966", "idd_local"])
    elif writing == "wrong_region_national":
        pass
    elif writing in national_writings:
        parse_region = region
    else:
        parse_region = region if rng.random() < 0.4 else rng.choice(REGIONS)
    e164 = "+%d%s" % (code, nsn)
    num = number_object(code, nsn)
    unicode = False
    intl = rng.random() < 0.35  # messy writings built on the international form
    if writing == "e164":
        s = e164
    elif writing == "international":
        s = pn.format_number(num, PhoneNumberFormat.INTERNATIONAL)
    elif writing == "national":
        s = pn.format_number(num, PhoneNumberFormat.NATIONAL)
    elif writing == "national_digits":
        s = national_prefix(region) + nsn
    elif writing == "idd_00":
        s = "00" + rng.choice(["", " "]) + str(code) + rng.choice(["", " "]) + group(rng, nsn)
    elif writing == "idd_local":
        s = DIAL_OUT[parse_region] + rng.choice(["", " ", "-"]) + str(code) + " " + group(rng, nsn)
    elif writing == "rfc3966":
        r = rng.random()
        if r < 0.6:
            s = pn.format_number(num, PhoneNumberFormat.RFC3966)
        elif r < 0.8:
            s = "tel:" + national_prefix(region) + group(rng, nsn, "-") + ";phone-context=+%d" % code
            parse_region = region if rng.random() < 0.5 else rng.choice(REGIONS)
        else:
            s = pn.format_number(num, PhoneNumberFormat.RFC3966) + ";ext=" + str(rng.randint(1, 9999))
    elif writing == "messy_separators":
        body = (national_prefix(region) if not intl else "+%d " % code) + nsn
        digits = body
        r = rng.random()
        if r < 0.4:
            s = group(rng, digits)
        elif r < 0.7:
            head = rng.randint(2, 4)
            s = "(" + digits[:head] + ") " + group(rng, digits[head:])
        else:
            s = "".join(c + (rng.choice([" ", "-", ".", "", "", ""]) if c.isdigit() else "") for c in digits).strip(" -.")
        if rng.random() < 0.3:
            s = rng.choice([" ", "  ", "\t"]) + s + rng.choice(["", " ", ".", ";", ","])
    elif writing == "messy_label_ext":
        base = pn.format_number(num, PhoneNumberFormat.INTERNATIONAL if intl else PhoneNumberFormat.NATIONAL)
        s = base
        if rng.random() < 0.6:
            s = rng.choice(LABELS) + s
        if rng.random() < 0.6:
            s = s + rng.choice(EXTENSIONS).format(rng.randint(1, 99999))
    elif writing == "stray_letters":
        base = national_prefix(region) + nsn if not intl else e164
        chars = list(group(rng, base))
        for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
            chars.insert(rng.randrange(1, len(chars) + 1), rng.choice("abcdefghijklmnopqrstuvwxyzOIl"))
        s = "".join(chars)
    elif writing == "unicode_fullwidth":
        base = pn.format_number(num, PhoneNumberFormat.INTERNATIONAL if intl else PhoneNumberFormat.NATIONAL)
        s = to_script(base, SCRIPT_ZEROS["fullwidth"], plus_too=True)
        unicode = True
    elif writing == "unicode_script":
        script = REGION_SCRIPT.get(region) or rng.choice(sorted(SCRIPT_ZEROS))
        if rng.random() < 0.25:
            script = rng.choice(sorted(SCRIPT_ZEROS))
        base = pn.format_number(num, PhoneNumberFormat.INTERNATIONAL if intl else PhoneNumberFormat.NATIONAL)
        s = to_script(base, SCRIPT_ZEROS[script])
        unicode = True
    elif writing == "random_shape":
        r = rng.random()
        if r < 0.5:
            n = rng.randint(7, 11)
            s = "0" + "".join(str(rng.randint(0, 9)) for _ in range(n))
            s = s[:3] + "-" + s[3:6] + "-" + s[6:]
        elif r < 0.8:
            cc = str(rng.randint(1, 999))
            s = "+" + cc + " " + group(rng, "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(4, 13))))
        else:
            s = "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(1, 20)))
    elif writing == "short_code":
        s = rng.choice(SHORT_CODES[region])
        r = rng.random()
        if r < 0.15:
            s = "+%d %s" % (code, s)
        elif r < 0.3:
            s = to_script(s, SCRIPT_ZEROS[REGION_SCRIPT.get(region, "fullwidth")])
            unicode = True
        if fixed_region is not None and region != fixed_region:
            s = "+%d %s" % (code, s)
    elif writing == "trunk_in_brackets":
        # "+66 (0)81 234 5678": the international form with the trunk prefix kept in brackets.
        trunk = national_prefix(region) or "0"
        s = "+%d (%s)%s" % (code, trunk, rng.choice(["", " "])) + group(rng, nsn)
    elif writing == "wrong_region_national":
        s = pn.format_number(num, PhoneNumberFormat.NATIONAL)
    else:  # pragma: no cover
        raise AssertionError(writing)
    return s, parse_region, writing, unicode


def oracle(s, region):
    out = {
        "py_valid": False,
        "py_e164": None,
        "py_error": None,
        "py_possible": None,
        "py_type": None,
        "py_region": None,
    }
    try:
        n = pn.parse(s, region)
    except NumberParseException as e:
        out["py_error"] = ERROR_NAMES.get(e.error_type, str(e.error_type))
        return out
    out["py_e164"] = pn.format_number(n, PhoneNumberFormat.E164)
    out["py_valid"] = pn.is_valid_number(n)
    out["py_possible"] = REASON_NAMES[pn.is_possible_number_with_reason(n)]
    out["py_type"] = TYPE_NAMES[pn.number_type(n)]
    out["py_region"] = pn.region_code_for_number(n)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--inputs-only", action="store_true", help="write only the input lines")
    ap.add_argument("--region", help="read every case with this default region")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    bases = build_bases()
    out = sys.stdout
    write = out.write
    for _ in range(args.count):
        s, region, writing, unicode = generate(rng, bases, args.region)
        # One value per line: a writing never contains a line break.
        s = s.replace("\n", " ").replace("\r", " ")
        if args.inputs_only:
            write(s + "\n")
            continue
        rec = {"input": s, "region": region, "writing": writing, "unicode": unicode}
        rec.update(oracle(s, region))
        write(json.dumps(rec, ensure_ascii=False) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
