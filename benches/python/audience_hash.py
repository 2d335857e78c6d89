"""The audience benchmark's work in Python, for comparison: normalise and hash
1,000,000 members (email, phone, first and last name) with hashlib and
phonenumbers, Google's rules and Meta's. Reads the members Kitle's bench writes
(one tab-separated member a line) and prints seconds per platform."""
import hashlib
import sys
import time
import unicodedata

import phonenumbers


def sha(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def lower(text):
    return text.replace("İ", "i").replace("I", "i").lower()


def google_email(raw):
    email = "".join(lower(unicodedata.normalize("NFC", raw)).split())
    local, _, domain = email.partition("@")
    if domain in ("gmail.com", "googlemail.com"):
        local = local.split("+")[0].replace(".", "")
    return f"{local}@{domain}"


def meta_email(raw):
    return lower(unicodedata.normalize("NFC", raw).strip())


def e164(raw):
    number = phonenumbers.parse(raw, "TR")
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def google_name(raw):
    return "".join(lower(unicodedata.normalize("NFC", raw)).split())


def meta_name(raw):
    return "".join(c for c in lower(unicodedata.normalize("NFC", raw)) if c.isalpha())


def run(members, platform):
    start = time.perf_counter()
    out = []
    for email, phone, first, last in members:
        if platform == "google":
            p = e164(phone)
            out.append((sha(google_email(email)), p and sha(p), sha(google_name(first)), sha(google_name(last))))
        else:
            p = e164(phone)
            p = p and p.lstrip("+").lstrip("0")
            out.append((sha(meta_email(email)), p and sha(p), sha(meta_name(first)), sha(meta_name(last))))
    return time.perf_counter() - start, out


def main():
    members = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8")]
    for platform in ("google", "meta"):
        seconds, out = run(members, platform)
        print(f"python {platform}: {seconds:.2f} s for {len(out)} members")


if __name__ == "__main__":
    main()
