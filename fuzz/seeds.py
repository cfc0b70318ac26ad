#!/usr/bin/env python3
"""Writes the fuzz targets' seed inputs into fuzz/corpus/ (run once; cargo-fuzz adds to them).

graph_page takes Graph's own documented answers (fixtures/graph-docs, from
microsoftgraph/microsoft-graph-docs, CC BY 4.0 / MIT); the rest are written here.
"""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, 'corpus')

def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode())

n = 0
for line in open(os.path.join(ROOT, 'fixtures/graph-docs/graph-docs-examples.jsonl')):
    ex = json.loads(line)
    body = ex.get('body') or ''
    if ex['kind'] != 'response' or not ex.get('body_is_json') or ('"value"' not in body and '@odata' not in body):
        continue
    put('graph_page', f"docs-{n:02}-{(ex.get('name') or 'example')[:40]}.json", body)
    n += 1
    if n >= 25:
        break
put('graph_page', 'removed-and-next.json', json.dumps({"value": [{"id": "a", "@removed": {"reason": "deleted"}}, {"id": "b", "subject": "S", "receivedDateTime": "2026-11-30T09:00:00Z"}], "@odata.nextLink": "https://graph.microsoft.com/v1.0/me/messages/delta?$skiptoken=x"}))
put('graph_page', 'event-zones.json', json.dumps({"value": [{"id": "e", "subject": "Full Council", "start": {"dateTime": "2026-12-10T18:30:00.0000000", "timeZone": "GMT Standard Time"}, "end": {"dateTime": "2026-12-10T21:00:00.0000000", "timeZone": "Europe/London"}, "isAllDay": False}], "@odata.deltaLink": "https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=y"}))
put('graph_page', 'absurd-dates.json', json.dumps({"value": [{"id": "e", "start": {"dateTime": "+275760-09-13T00:00:00", "timeZone": "Mars/Olympus"}, "end": {"dateTime": "0000-00-00T00:00:00", "timeZone": ""}}, {"id": "m", "receivedDateTime": "9999-12-31T23:59:59Z", "importance": "extreme"}]}))

def batch(responses):
    return json.dumps({"responses": responses})
put('batch_answer', 'bodies.json', batch([{"id": "0", "status": 200, "body": {"body": {"contentType": "html", "content": "<p>Agenda <b>attached</b></p><style>p{}</style>"}}}, {"id": "1", "status": 200, "body": {"body": {"contentType": "text", "content": "Plain"}}}, {"id": "2", "status": 404, "body": {"error": {"code": "ErrorItemNotFound"}}}]))
put('batch_answer', 'throttled.json', batch([{"id": "0", "status": 429, "headers": {"Retry-After": "2.128"}}, {"id": "1", "status": 503, "headers": {"Retry-After": "NaN"}}, {"id": "2", "status": 429, "headers": {"Retry-After": "1e400"}}, {"id": "3", "status": 500}]))
put('batch_answer', 'hostile-ids.json', batch([{"id": "0", "status": 200, "body": {}}, {"id": "0", "status": 200}, {"id": "99", "status": 200}, {"id": "-1"}, {"id": "18446744073709551616", "status": 200}, {"status": 200}]))
put('batch_answer', 'attachments.json', batch([{"id": "4", "status": 200, "body": {"value": [{"id": "a1", "name": "agenda.pdf", "contentType": "application/pdf", "size": 1048576, "isInline": False}, {"name": "no id"}, {"id": "a2", "size": -5, "isInline": "yes"}]}}]))

html = {
    'newsletter.html': '<html><head><style>.x{color:red}</style></head><body><table><tr><td><img src="https://news.example/pic.png" width="600" height="200" alt="Ward news"></td></tr></table><p>Read <a href="https://council.example/agenda">the agenda</a></p></body></html>',
    'url-tricks.html': '<a href="ht&#10;tps://evil.example">x</a><img src="\\\\host\\share\\a.png"><img src="//cdn.example/a.png"><a href="javascript:alert(1)">j</a><a href="JaVaScRiPt&colon;alert(1)">k</a><img src="data:image/svg+xml;base64,PHN2Zz4=">',
    'inline.html': '<img src="cid:crest@council.example" alt="crest"><img src="data:image/png;base64,iVBORw0KGgo="><a href="cid:x">cid link</a>',
    'scripts.html': '<script>alert(1)</script><iframe src="https://x"></iframe><form action="https://x"><input></form><object data="x"></object><base href="https://evil.example/"><svg onload="alert(1)"><math><mi xlink:href="javascript:alert(1)">',
    'nested.html': '<div>' * 600 + 'deep' + '</div>' * 600,
    'unclosed.html': '<p><b><i><table><tr><td><style>never closed',
    'mailto-tel.html': '<a href="mailto:clerk@council.example?subject=Hi">m</a><a href="tel:+441234567890">t</a><a href="sms:+44">s</a><a href="#anchor">a</a>',
}
for name, text in html.items():
    put('sanitiser', name, text)

put('council_toml', 'allowance.toml', 'cap-mb = 2048\ncycle-start-day = 14\nwarn-at-percent = [80, 100]\noverage-charge-pence = 5000\n[member-may-change]\ncap = true\n')
put('council_toml', 'protection.toml', 'pin-length = 6\nidle-lock-seconds = 300\nwrong-pin-limit = 10\noffline-lock-hours = 12\noffline-wipe-days = 90\nbiometrics-allowed = true\nprivate-notifications = true\nopen-attachments = true\n')
put('council_toml', 'absurd.toml', 'cap-mb = 18446744073709551615\ncycle-start-day = 4294967295\nwarn-at-percent = [4294967295, 0]\n')
surveys = os.path.join(ROOT, 'crates/evidence/surveys')
for f in sorted(os.listdir(surveys)):
    put('council_toml', 'survey-' + f, open(os.path.join(surveys, f)).read())

for i, q in enumerate(['planning', 'café agenda', '"quoted', '*', 'NEAR(a b)', 'a OR b AND NOT c', '-x', 'subject:planning', '^start', 'démocratic ser', "'''", '..', '"""', '(((', ' ', 'ǅ𝔘 🙂', 'a' * 300]):
    put('search_query', f'q{i:02}.txt', q)
