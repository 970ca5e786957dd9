"""PII redaction: e-mail addresses, public IP addresses, phone numbers and secrets.

Choices (see docs/data.md):
- IPs: private (RFC 1918), loopback, link-local, CGNAT, multicast, unspecified and reserved
  addresses are kept: they identify no one and are everywhere in code and configs. Documentation
  ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are redacted like public
  ones: examples written with them stand for real addresses, and redacting them costs nothing.
- Phones need a leading +country code or a national layout with separators (0XX XXX XXXX,
  (XXX) XXX-XXXX, XXX-XXX-XXXX): a bare run of digits, a year, a date or a version is not a phone.
- Secrets: known key formats always; otherwise a 20+ character token is a secret when it mixes
  upper case, lower case and digits and its Shannon entropy is close to that of random base64.
  Pure hex tokens (git SHAs, checksums, UUIDs) are public identifiers in prose and code, so they
  are redacted only after a key/secret/token/password name on the same line.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections import Counter
from collections.abc import Callable

EMAIL, IP_ADDRESS, PHONE, SECRET = "<EMAIL>", "<IP_ADDRESS>", "<PHONE>", "<SECRET>"

# Known key formats, each behind the literal it starts with: a substring test is ~50x cheaper
# than a regex scan, and almost no document contains any of them.
_KNOWN_SECRETS: list[tuple[tuple[str, ...], re.Pattern]] = [
    (
        ("-----BEGIN",),
        re.compile(
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
            r"(?:.*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s]*)",
            re.DOTALL,
        ),
    ),
    (
        ("AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA"),  # AWS access key ids
        re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b"),
    ),
    (
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),  # GitHub tokens
        re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b|\bgithub_pat_[A-Za-z0-9_]{22,255}\b"),
    ),
    (("xox",), re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}")),  # Slack
    (("sk-",), re.compile(r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}")),  # OpenAI-style
    (("k_live_", "k_test_"), re.compile(r"\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}")),  # Stripe
    (("AIza",), re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),  # Google API keys
    (("eyJ",), re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")),  # JWT
]
_TOKEN = re.compile(r"(?<![\w+/=-])[A-Za-z0-9+/_=-]{20,}(?![\w+/=-])")
_HEX = re.compile(r"[0-9a-fA-F-]+")
_SECRET_NAME = re.compile(
    r"(?:key|secret|token|passw(?:or)?d|pwd|credential|auth)[\w-]*[\"']?\s*[:=]\s*[\"']?$",
    re.IGNORECASE,
)
# Random base62 tokens of 20 / 32 / 40 characters have entropy >= 3.8 / 4.3 / 4.5 bits 95% of the
# time; the bar, 0.85 * log2(length) capped at 4.5, sits just below, and long identifiers
# (getUserAccountSettings2Value: 3.9 bits over 28 characters, bar 4.1) stay under it.
_MAX_ENTROPY_BAR = 4.5
_HEX_ENTROPY = 3.0  # in a secret-named field, a hex value still has to look random

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?![\w-])")
# IPv4 and phone patterns check the character before a match in Python: a look-behind at the
# start of a pattern stops the regex engine from skipping ahead to the next digit.
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}(?!\w|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_VERSION_BEFORE = re.compile(r"(?:version|ver\.?|v|release|build|rev)\s*$", re.IGNORECASE)
_KEPT_NETWORKS = [
    ipaddress.ip_network(n)
    for n in "0.0.0.0/8 10.0.0.0/8 100.64.0.0/10 127.0.0.0/8 169.254.0.0/16 172.16.0.0/12 192.168.0.0/16 "
    "224.0.0.0/4 240.0.0.0/4 ::/128 ::1/128 fe80::/10 fc00::/7 ff00::/8".split()
]

_PHONE = re.compile(
    r"(?:\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){2,5}"  # +358 40 123 4567, +1 (555) 123-4567
    r"|(?:\(\d{3}\)\s?|\d{3}[.-])\d{3}[.-]\d{4}"  # (555) 123-4567, 555-123-4567
    r"|0[1-9]\d{0,3}[ -]\d{3,4}[ -]?\d{3,4})"  # 040 123 4567, 03-1234-5678
    r"(?!\w|[.-]\d)"  # not the start of a longer number, date or version
)
_PHONE_HINT = re.compile(r"\d[\d ().-]{6,}\d")  # cheap pre-check: 8+ digits and separators


def _entropy(token: str) -> float:
    n = len(token)
    return -sum(c / n * math.log2(c / n) for c in Counter(token).values())


def _is_sequence(token: str, run: int = 5) -> bool:
    """Alphabet constants (0123456789ABC...) are high-entropy but not secret."""
    steps = 0
    for a, b in zip(token, token[1:]):
        steps = steps + 1 if ord(b) - ord(a) == 1 else 0
        if steps >= run - 1:
            return True
    return False


def _is_secret_token(token: str, line_before: str) -> bool:
    if _HEX.fullmatch(token):
        return bool(_SECRET_NAME.search(line_before)) and _entropy(token) >= _HEX_ENTROPY
    if token.islower() or token.isupper() or not any(c.isdigit() for c in token):
        return False
    bar = min(0.85 * math.log2(len(token)), _MAX_ENTROPY_BAR)
    return _entropy(token) >= bar and not _is_sequence(token)


def _public_ip(candidate: str, before: str) -> bool:
    try:
        ip = ipaddress.ip_address(candidate)
    except ValueError:
        return False
    if ip.version == 4 and (_VERSION_BEFORE.search(before) or len(candidate) == 7):
        return False  # "v1.2.3.4", or four one-digit parts: a version far more often than a host
    if ip.version == 6:
        if sum(1 for g in candidate.split(":") if g) < 3:  # a::b, fe80::1: rarely an address
            return False
        if ip.ipv4_mapped:
            ip = ip.ipv4_mapped
    return not any(ip in net for net in _KEPT_NETWORKS if net.version == ip.version)


def _starts_token(m: re.Match, text: str) -> bool:
    """The match does not continue a word, number or version to its left."""
    i = m.start()
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_.+-")


def _is_phone(m: re.Match, text: str) -> bool:
    if not _starts_token(m, text):
        return False
    digits = sum(c.isdigit() for c in m.group())
    return 8 <= digits <= 15  # E.164 allows at most 15; fewer than 8 is a short code or a sum


def _is_secret(m: re.Match, text: str) -> bool:
    return _is_secret_token(m.group(), text[text.rfind("\n", 0, m.start()) + 1 : m.start()])


def _is_public_ip(m: re.Match, text: str) -> bool:
    if not _starts_token(m, text):
        return False
    return _public_ip(m.group(), text[max(0, m.start() - 10) : m.start()])


def _sub(pattern: re.Pattern, text: str, placeholder: str, is_pii: Callable[[re.Match, str], bool]) -> tuple[str, int]:
    """Replace the matches that ``is_pii(match, text)`` confirms; return text and count."""
    n = 0

    def replace(m: re.Match) -> str:
        nonlocal n
        if is_pii(m, text):
            n += 1
            return placeholder
        return m.group()

    return pattern.sub(replace, text), n


def redact(text: str) -> tuple[str, dict[str, int]]:
    """Replace PII with <EMAIL>, <IP_ADDRESS>, <PHONE>, <SECRET>; return text and counts."""
    # Secrets first (a JWT or PEM block must not be half-eaten by another pattern), phones last
    # (so that the digits of an IP address are gone before phone patterns look for digits).
    known = 0
    for literals, pattern in _KNOWN_SECRETS:
        if any(lit in text for lit in literals):
            text, n = pattern.subn(SECRET, text)
            known += n
    emails = 0
    if "@" in text:
        text, emails = _EMAIL.subn(EMAIL, text)
    text, tokens = _sub(_TOKEN, text, SECRET, _is_secret)
    text, ips = _sub(_IPV4, text, IP_ADDRESS, _is_public_ip)
    if "::" in text or text.count(":") >= 7:
        text, ips6 = _sub(_IPV6, text, IP_ADDRESS, _is_public_ip)
        ips += ips6
    phones = 0
    if _PHONE_HINT.search(text):
        text, phones = _sub(_PHONE, text, PHONE, _is_phone)
    return text, {"email": emails, "ip_address": ips, "phone": phones, "secret": known + tokens}
