#!/usr/bin/env python3
"""A client of the AEO decision service (aeo serve) using only Python's
standard library, for clearance systems not written in Go.

It assesses an applicant against a programme and routes declarations
through the lanes stream (NDJSON in, NDJSON out):

    aeo serve --addr 127.0.0.1:8080 DIR &
    python3 examples/client/aeo_client.py --url http://127.0.0.1:8080 \\
        --programme baseline --as-of 2025-03-31

Errors come back as {"error": {"code", "message", "details"}}; the client
raises them as APIError, and callers branch on the code.
"""

import argparse
import json
import os
import sys
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


class APIError(Exception):
    """An error answer of the service."""

    def __init__(self, status, code, message, details=None):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.details = status, code, message, details or {}


class Client:
    """The decision service at base_url, with an optional bearer token."""

    def __init__(self, base_url, token=None, timeout=30):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _request(self, method, path, body=None, content_type="application/json"):
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        if body is not None:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.base_url + path, data=body, headers=headers, method=method)
        try:
            return urllib.request.urlopen(req, timeout=self.timeout)
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                err = json.loads(raw)["error"]
            except (ValueError, KeyError, TypeError):
                raise APIError(e.code, "http_error", raw.decode("utf-8", "replace")) from None
            raise APIError(e.code, err["code"], err["message"], err.get("details")) from None

    def _json(self, method, path, payload=None):
        body = None if payload is None else json.dumps(payload).encode("utf-8")
        with self._request(method, path, body) as resp:
            return json.load(resp)

    def ready(self):
        try:
            return self._json("GET", "/readyz")["status"] == "ready"
        except (APIError, OSError):
            return False

    def programmes(self):
        return self._json("GET", "/v1/programmes")["programmes"]

    def assess(self, programme, profile, as_of, view="operator"):
        """Assesses a profile (a dict) as of a date ("2025-03-31")."""
        return self._json("POST", f"/v1/programmes/{programme}/assess",
                          {"profile": profile, "as_of": as_of, "view": view})

    def lane(self, programme, declaration, operator=None):
        req = {"declaration": declaration}
        if operator:
            req["operator"] = operator
        return self._json("POST", f"/v1/programmes/{programme}/lane", req)

    def lanes(self, programme, requests):
        """Routes many declarations in one NDJSON stream. Yields one dict a
        line: {"line", "declaration", "decision"} or {"line", "error"},
        then {"summary"}."""
        body = "".join(json.dumps(r) + "\n" for r in requests).encode("utf-8")
        with self._request("POST", f"/v1/programmes/{programme}/lanes", body, "application/x-ndjson") as resp:
            for raw in resp:
                if raw.strip():
                    yield json.loads(raw)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--token", default=os.environ.get("AEO_TOKEN"))
    ap.add_argument("--programme", default="baseline")
    ap.add_argument("--as-of", default="2025-03-31")
    ap.add_argument("--profile", default=os.path.join(HERE, "applicant.json"))
    ap.add_argument("--declarations", default=os.path.join(HERE, "declarations.ndjson"))
    args = ap.parse_args(argv)

    c = Client(args.url, args.token)
    if not c.ready():
        print(f"the service at {args.url} is not ready", file=sys.stderr)
        return 1
    progs = {p["name"]: p for p in c.programmes()}
    if args.programme not in progs:
        print(f"no programme {args.programme!r}; serving: {', '.join(progs)}", file=sys.stderr)
        return 1
    print(f"programme {args.programme}: {progs[args.programme]['title']} {progs[args.programme]['version']}"
          f" ({progs[args.programme]['fingerprint']})")

    # Assess the applicant: the operator view is what it may be shown.
    with open(args.profile, encoding="utf-8") as f:
        profile = json.load(f)
    a = c.assess(args.programme, profile, args.as_of)
    print(f"assessment of {a['operator']} as of {args.as_of}:")
    for auth in a.get("authorizations", []):
        grade = f" (grade {auth['grade']})" if auth.get("grade") else ""
        print(f"  {auth['id']}: {auth['recommendation']}{grade}")
    met = sum(1 for f in a["findings"] if f["outcome"] == "met")
    print(f"  {met} of {len(a['findings'])} requirements met; verify on site: {', '.join(a.get('verify_on_site', [])) or 'nothing'}")

    # Route its declarations, before and after it holds AEO status.
    with open(args.declarations, encoding="utf-8") as f:
        declarations = [json.loads(line) for line in f if line.strip()]
    aeo = {"id": profile["operator_id"], "status": "authorized", "types": ["AEO"]}
    for label, operator in (("without AEO status", None), ("as an AEO", aeo)):
        reqs = [{"declaration": d, **({"operator": operator} if operator else {})} for d in declarations]
        print(f"lanes {label}:")
        summary = None
        for line in c.lanes(args.programme, reqs):
            if "summary" in line:
                summary = line["summary"]
            elif "error" in line:
                print(f"  line {line['line']}: error {line['error']['code']}: {line['error']['message']}")
            else:
                d = line["decision"]
                why = d["cause"] + (f" {d['rule']}" if d.get("rule") else "")
                print(f"  {line['declaration']}: {d['lane']} ({why})")
        if not summary or not summary["complete"] or summary["errors"]:
            print(f"  the stream did not complete: {summary}", file=sys.stderr)
            return 1

    # Bad input gets a clear error code, not a stack trace.
    try:
        c.assess(args.programme, dict(profile, turnover=1), args.as_of)
        print("an unknown profile field was accepted", file=sys.stderr)
        return 1
    except APIError as e:
        print(f"bad input refused: {e.status} {e.code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
