"""PII redaction: each pattern on text that has it and on look-alikes that must survive."""

import json
import re
from pathlib import Path

import pytest

from auroralm.data.pii import redact

CORPUS = Path(__file__).parents[1] / "src" / "auroralm" / "assets" / "corpus"


def redacted(text: str, kind: str) -> int:
    return redact(text)[1][kind]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Write to kalle.virtanen@example.com for the keys.", "Write to <EMAIL> for the keys."),
        ("Contact: first.last+news@mail.example.co.uk.", "Contact: <EMAIL>."),
        ("Send it to 山田 at yamada-t@example.jp please", "Send it to 山田 at <EMAIL> please"),
    ],
)
def test_emails_are_redacted(text, expected):
    assert redact(text) == (expected, {"email": 1, "ip_address": 0, "phone": 0, "secret": 0})


@pytest.mark.parametrize(
    "text",
    ["@dataclass\nclass Point:", "matrix = a @ b", "npm install lodash@4.17.21", "mail me at user@localhost"],
)
def test_email_look_alikes_are_kept(text):
    assert redact(text) == (text, {"email": 0, "ip_address": 0, "phone": 0, "secret": 0})


@pytest.mark.parametrize(
    "text",
    [
        "The server at 203.0.113.42 hosts the photos.",
        "Requests from 81.17.16.40 were blocked.",
        "resolver 2606:4700:4700::1111 answered",
        "the block 2001:db8:85a3::8a2e:370:7334 is ours",
    ],
)
def test_public_ips_are_redacted(text):
    out, counts = redact(text)
    assert counts["ip_address"] == 1 and "<IP_ADDRESS>" in out


@pytest.mark.parametrize(
    "text",
    [
        "Set the gateway to 192.168.1.1 and the DNS to 10.0.0.53.",
        "It listens on 127.0.0.1:8080 and 0.0.0.0.",
        "Docker uses 172.17.0.2, carrier NAT 100.64.3.9, link-local 169.254.10.20.",
        "multicast 239.255.255.250 and broadcast 255.255.255.255",
        "loopback ::1, link-local fe80::1ff:fe23:4567:890a, unique local fd12:3456:789a::1",
        "Upgrade to version 10.2.3.4 or v2.1.0.7; the test pins 1.2.3.4.",
        "Not an address: 999.10.10.10 or 1.2.3 or 10.0.0.1.5",
        "Times like 12:30:45, MACs like 00:1A:2B:3C:4D:5E and std::vector<int> stay.",
    ],
)
def test_private_reserved_and_version_numbers_are_kept(text):
    assert redacted(text, "ip_address") == 0


@pytest.mark.parametrize(
    "text",
    [
        "call +358 40 123 4567 after 5 pm",
        "call +1 (415) 555-2671 today",
        "WhatsApp +919876543210",
        "tel. +81 3-1234-5678",
        "Ring 040-1234567 or 09 123 4567.",
        "Call (555) 123-4567 now",
        "Call 555-123-4567 now",
        "携帯 090-1234-5678 まで",
        "Gọi 0912 345 678 hoặc 028 3822 1234",
    ],
)
def test_phones_are_redacted(text):
    out, counts = redact(text)
    assert counts["phone"] == len(re.findall("<PHONE>", out)) >= 1
    assert not re.search(r"\d{3}", out), out  # no part of a number left behind


@pytest.mark.parametrize(
    "text",
    [
        "The bridge was built in 1962 and repaired in 2009, 2015 and 2024.",
        "Deadline: 2024-01-15, or 15.01.2024, or 01/15/2024, or 01-02-2024.",
        "We shipped 1.2.3 and 10.0.19041.1234 with 1234567890 rows.",
        "ISBN 978-3-16-148410-0, order no. 2023-000123, score 3-1.",
        "Sums: 12 + 30 = 42 and 000 111 222 333 444.",
        "Prices rose 4.52 3.11 0.98 over the year; 555-0101 is a fictional short number.",
    ],
)
def test_phone_look_alikes_are_kept(text):
    assert redacted(text, "phone") == 0


@pytest.mark.parametrize(
    "text",
    [
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "token: ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "GITHUB_TOKEN=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
        "SLACK_BOT_TOKEN=xoxb-1234567890-0987654321-AbCdEfGhIjKl",
        'client = OpenAI(api_key="sk-proj-AbCdEfGh1234567890XyZaBcDe")',
        "maps.js?key=AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW",
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq98s\nq8tW2XzA==\n-----END RSA PRIVATE KEY-----",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "export SESSION=Xk9pQ2mZ7rT4vB8nL1cW6yH3dF5g",
        'API_KEY = "9f86d081884c7d659a2feaa0c55ad015"',
    ],
)
def test_secrets_are_redacted(text):
    out, counts = redact(text)
    assert counts["secret"] == 1 and "<SECRET>" in out
    assert "PRIVATE KEY" not in out.replace("<SECRET>", "")


@pytest.mark.parametrize(
    "text",
    [
        "Fixed in commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b, see the changelog.",
        "request id 123e4567-e89b-12d3-a456-426614174000 failed",
        "sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'",
        "def getUserAccountSettings2Value(self): return self.internationalization2x",
        "from src/auroralm/data/pipeline import test_redact_ipv4_private_ranges_2",
        "Kaupunginvaltuustossa käsiteltiin asemakaavamuutosehdotusta tänään.",
        "the scikit-learn sk-learn alias and task-oriented desk-based work",
    ],
)
def test_secret_look_alikes_are_kept(text):
    assert redact(text) == (text, {"email": 0, "ip_address": 0, "phone": 0, "secret": 0})


def test_counts_every_kind_in_the_demo_pii_document():
    doc = next(
        json.loads(line)
        for line in (CORPUS / "junk.jsonl").read_text(encoding="utf-8").splitlines()
        if '"junk": "pii"' in line
    )
    out, counts = redact(doc["text"])
    assert counts == {"email": 1, "ip_address": 1, "phone": 1, "secret": 0}
    assert "@" not in out and "4567" not in out and "203.0" not in out


@pytest.mark.parametrize("lang", ["en", "fi", "hi", "ja", "vi"])
def test_real_web_documents_are_left_alone(lang):
    lines = (CORPUS / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()
    changed = [d["id"] for d in map(json.loads, lines) if redact(d["text"])[0] != d["text"]]
    assert changed == []
