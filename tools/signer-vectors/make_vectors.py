#!/usr/bin/env python3
"""Build test vectors for our SDK-HMAC-SHA256 signer from Huawei's own signer.

Every request below is signed by the official Python SDK
(huaweicloudsdkcore.signer.signer.Signer). While it signs, the script records
what the SDK's internal helpers return (canonical request, string to sign),
so the Rust tests compare against the SDK's intermediate values and not only
against the final signature, which would say nothing about *where* a mismatch
comes from.

Output: tests/fixtures/signer_vectors.json (relative to the crate root).
See README.md beside this file for how to rerun.
"""

import json
import sys
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

import huaweicloudsdkcore.signer.signer as signer_mod
from huaweicloudsdkcore.auth.credentials import BasicCredentials, GlobalCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

# Obviously fake credentials: these must never look like, or be, real keys.
AK = "TESTAKEXAMPLE0000000"
SK = "TESTSKEXAMPLE0000000000000000000000000000"

# The clock the SDK sees when a request carries no X-Sdk-Date of its own.
FIXED_NOW = datetime(2026, 11, 26, 10, 0, 0)
FIXED_NOW_STR = "20261126T100000Z"
# A different date used in requests that bring their own X-Sdk-Date, so the
# vectors show that the request's header wins over the clock.
OWN_DATE = "20260102T030405Z"

HOST = "ecs.cn-north-4.myhuaweicloud.com"
PROJECT = "0123456789abcdef0123456789abcdef"

# The hosts and shapes flexus sends in production (fake IDs).
HCSS_HOST = "hcss.ap-southeast-3.myhuaweicloud.com"
BSS_HOST = "bss-intl.myhuaweicloud.com"
IAM_HOST = "iam.ap-southeast-3.myhuaweicloud.com"
DOMAIN = "fedcba9876543210fedcba9876543210"
TR_PROJECT = "4f3e2d1c0b0a09080706050403020100"
ORDER_ID = "CS2611261000ABCDE"
CLIENT_REQUEST_ID = "7d0f9c2e-1b2a-4c3d-8e4f-0123456789ab"
# What flexus serializes for examples/plan.json moved to tr-west-1 with
# Ubuntu 22.04 (`flexus order --dry-run`, compact), and for a payment;
# tests/signer_vectors.rs checks that flexus still sends exactly these.
CREATE_BODY = ('{"instance_name":"test-0620-01","description":"test",'
               '"plan_spec":"hf.large.1.30m.linux","image_ref":{"image_name":"Ubuntu",'
               '"image_version":"22.04"},"region":"tr-west-1","charging_mode":"prePaid",'
               '"period_type":"month","period_num":1,"purchase_quantity":2,'
               '"is_auto_renew":true,"is_auto_pay":true,"extra_resources":['
               '{"type":"evs","size":20},{"type":"cbr","size":20},{"type":"hss"}]}')
PAY_BODY = '{"order_id":"%s","use_coupon":"NO","use_discount":"NO"}' % ORDER_ID


class _FixedDatetime(datetime):
    """The SDK calls datetime.utcnow() when the request has no X-Sdk-Date."""

    @classmethod
    def utcnow(cls):
        return cls(FIXED_NOW.year, FIXED_NOW.month, FIXED_NOW.day,
                   FIXED_NOW.hour, FIXED_NOW.minute, FIXED_NOW.second)


signer_mod.datetime = _FixedDatetime

# Record the SDK's intermediate values during its own sign() call, rather than
# re-running the steps here: a copy of the steps could drift from the SDK.
_captured = {}
_orig_sign = Signer.sign
_orig_canonical = Signer._process_canonical_request
_orig_sts = Signer._process_string_to_sign


def _sign(self, request):
    _captured["headers_in"] = [[k, v] for k, v in request.header_params.items()]
    return _orig_sign(self, request)


def _canonical(self, request, signed_headers):
    out = _orig_canonical(self, request, signed_headers)
    _captured["canonical_request"] = out
    _captured["signed_headers"] = ";".join(signed_headers)
    return out


def _sts(self, canonical_request, t):
    out = _orig_sts(self, canonical_request, t)
    _captured["string_to_sign"] = out
    return out


Signer.sign = _sign
Signer._process_canonical_request = _canonical
Signer._process_string_to_sign = _sts


def _wire_to_str(value):
    # The SDK rewrites every header value as UTF-8 bytes viewed as Latin-1
    # (what `requests` sends verbatim); undo that so the JSON holds real text.
    return value.encode("iso-8859-1").decode("utf-8")


def make(name, description, method, path, query=(), headers=(), body="",
         host=HOST, scheme="https", project_id=None, security_token=None,
         domain_id=None):
    _captured.clear()
    request = SdkRequest(method=method, schema=scheme, host=host,
                         resource_path=path,
                         query_params=[(k, v) for k, v in query],
                         header_params={k: v for k, v in headers},
                         body=body)
    if domain_id is not None:
        # A global service (BSS): GlobalCredentials adds X-Domain-Id.
        signed = GlobalCredentials(AK, SK, domain_id).sign_request(request)
    elif project_id is not None or security_token is not None:
        # The real client path: BasicCredentials adds X-Project-Id and
        # X-Security-Token itself, then hands the request to Signer.sign.
        creds = BasicCredentials(AK, SK, project_id)
        if security_token is not None:
            creds = creds.with_security_token(security_token)
        signed = creds.sign_request(request)
    else:
        signed = Signer(BasicCredentials(AK, SK)).sign(request)

    headers_in = _captured["headers_in"]
    names_in = {k for k, _ in headers_in}
    headers_after = [[k, _wire_to_str(v)] for k, v in signed.header_params.items()]
    added = [[k, v] for k, v in headers_after if k not in names_in]
    return {
        "name": name,
        "description": description,
        "method": method,
        "scheme": scheme,
        "host": host,
        "path": path,
        "query": [[k, v] for k, v in query],
        "headers": headers_in,
        "body": body,
        "ak": AK,
        "sk": SK,
        "now": FIXED_NOW_STR,
        "project_id": project_id,
        "domain_id": domain_id,
        "security_token": security_token,
        "expected": {
            "canonical_request": _captured["canonical_request"],
            "string_to_sign": _captured["string_to_sign"],
            "signed_headers": _captured["signed_headers"],
            "authorization": signed.header_params["Authorization"],
            "added_headers": added,
            "headers_after": headers_after,
            "uri": signed.uri,
        },
    }


def vectors():
    v = []
    v.append(make(
        "get_no_query",
        "GET without query, no X-Sdk-Date: the SDK takes the clock and adds Host",
        "GET", f"/v1/{PROJECT}/cloudservers"))
    v.append(make(
        "get_root_path",
        "GET on the root path with the request's own X-Sdk-Date",
        "GET", "/",
        headers=[("X-Sdk-Date", OWN_DATE)]))
    v.append(make(
        "get_query_sorting_and_encoding",
        "query keys out of order, repeated key, spaces, ~, : in times, reserved characters",
        "GET", f"/v1/{PROJECT}/cloudservers/detail",
        query=[("limit", "10"), ("start_time", "2026-11-26T10:00:00Z"),
               ("name", "hello world"), ("marker", "a~b"), ("Zeta", "1"),
               ("alpha", "x"), ("limit", "5"), ("empty", ""),
               ("sym", "!*'();:@&=+$,/?#[]"), ("plus", "1+1"),
               ("pct", "100%")],
        headers=[("Content-Type", "application/json"), ("X-Sdk-Date", OWN_DATE)]))
    v.append(make(
        "get_query_unicode",
        "unicode keys and values; sorting is on the raw text, before encoding",
        "GET", f"/v1/{PROJECT}/servers",
        query=[("名称", "值 ü"), ("z", "é"), ("é", "z"), ("a", "日本語"),
               ("emoji", "🙂")],
        headers=[("X-Sdk-Date", OWN_DATE)]))
    v.append(make(
        "path_needs_encoding",
        "path segments with space, colon, unicode, ~, and pre-encoded %20 / %2F",
        "GET", f"/v1/{PROJECT}/buckets/my bucket/obj:name~ü/a%2Fb/c%20d/x+y",
        headers=[("X-Sdk-Date", OWN_DATE)]))
    v.append(make(
        "path_bad_percent_and_trailing_slash",
        "invalid %-escapes, bad UTF-8 after decoding, and a trailing slash",
        "GET", "/v2/items%zz/%E2%82/%F0%80%80x/%4/",
        headers=[("X-Sdk-Date", OWN_DATE)]))
    v.append(make(
        "post_json_body",
        "POST with a JSON body (unicode inside) and a JSON Content-Type with charset",
        "POST", f"/v2.1/{PROJECT}/cloudservers",
        headers=[("Content-Type", "application/json;charset=UTF-8")],
        body=json.dumps({"server": {"name": "web-01 ☃", "count": 2,
                                    "flavorRef": "s6.small.1"}},
                        ensure_ascii=False)))
    v.append(make(
        "put_json_body",
        "PUT with a body, the request's own X-Sdk-Date, and a host with a port",
        "PUT", f"/v1/{PROJECT}/cloudservers/7d0f9c2e-0000-4000-8000-000000000001",
        headers=[("Content-Type", "application/json"), ("X-Sdk-Date", OWN_DATE)],
        body='{"server":{"name":"renamed"}}',
        host="ecs.cn-north-4.myhuaweicloud.com:8443"))
    v.append(make(
        "project_id_and_security_token",
        "temporary credentials through BasicCredentials: X-Project-Id and X-Security-Token",
        "GET", f"/v1/{PROJECT}/cloudservers/detail",
        query=[("limit", "1")],
        headers=[("Content-Type", "application/json")],
        project_id=PROJECT,
        security_token="TESTSECURITYTOKEN+/=gAAAAABexample0000"))
    v.append(make(
        "header_whitespace_and_mixed_case",
        "header values with surrounding whitespace, mixed-case names, a lower-case "
        "x-sdk-date the SDK must find, and a Content-Type with a leading space",
        "POST", f"/v1/{PROJECT}/orders",
        headers=[("x-CUSTOM-header", "  padded value \t"),
                 ("ACCEPT", " application/json"),
                 ("x-sdk-date", OWN_DATE),
                 ("X-Project-Id", " " + PROJECT + " "),
                 ("Content-Type", " application/json")],
        body='{"side":"buy"}'))
    v.append(make(
        "header_unicode_whitespace",
        "Python's strip(): no-break and ideographic spaces, and \\x1c-\\x1f, go too",
        "GET", "/v1/things",
        headers=[("X-Label", "\u00a0\u3000café au lait\u2003"),
                 ("X-Ctl", "\x1cvalue\x1f "),
                 ("X-Sdk-Date", OWN_DATE)]))
    v.append(make(
        "form_body_unsigned_payload",
        "non-JSON Content-Type: the SDK adds X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD",
        "POST", "/v3/auth/tokens",
        headers=[("Content-Type", "application/x-www-form-urlencoded"),
                 ("X-Sdk-Date", OWN_DATE)],
        body="a=1&b=two%20words"))
    v.append(make(
        "empty_body_unsigned_content_type",
        "non-JSON Content-Type with an empty body: header added, payload hash stays the empty hash",
        "delete", f"/v1/{PROJECT}/cloudservers/abc",
        headers=[("Content-Type", "text/plain"), ("X-Sdk-Date", OWN_DATE)]))
    v.append(make(
        "lowercase_content_type_is_not_checked",
        "the SDK looks up 'Content-Type' case-sensitively: lower-case text/plain signs the body",
        "POST", f"/v1/{PROJECT}/notes",
        headers=[("content-type", "text/plain"), ("X-Sdk-Date", OWN_DATE)],
        body="hello"))
    v.append(make(
        "underscore_header_and_own_host",
        "header names with '_' are left unsigned; a Host the caller set is kept",
        "PATCH", f"/v1/{PROJECT}/volumes/vol-1",
        headers=[("X_Custom_Ignored", "not signed"),
                 ("host", "evs.cn-north-4.myhuaweicloud.com"),
                 ("X-Sdk-Date", OWN_DATE),
                 ("Content-Type", "application/json")],
        body="{}"))
    v.append(make(
        "own_content_sha256",
        "a caller-supplied x-sdk-content-sha256 replaces the payload hash",
        "PUT", "/v1/objects/blob",
        headers=[("x-sdk-content-sha256", "UNSIGNED-PAYLOAD"),
                 ("Content-Type", "application/json"),
                 ("X-Sdk-Date", OWN_DATE)],
        body='{"big":true}'))
    v.append(make(
        "same_header_in_two_cases",
        "two header names differing only in case: listed twice, last value wins",
        "GET", "/v1/things",
        headers=[("X-Dup", "first"), ("x-dup", "second"),
                 ("X-Sdk-Date", OWN_DATE)]))
    # The exact production shapes.
    v.append(make(
        "hcss_create_in_tr_west_1",
        "the purchase as flexus sends it: fixed gateway host, X-Project-Id of the "
        "order's region (tr-west-1), Client-Request-Id signed, the exact body",
        "POST", "/v1/light-instances",
        headers=[("Client-Request-Id", CLIENT_REQUEST_ID),
                 ("Content-Type", "application/json")],
        body=CREATE_BODY, host=HCSS_HOST, project_id=TR_PROJECT))
    v.append(make(
        "bss_order_details",
        "order details with an order ID in the path and limit=100, X-Domain-Id "
        "signed (GlobalCredentials)",
        "GET", "/v2/orders/customer-orders/details/" + ORDER_ID,
        query=[("limit", "100")], host=BSS_HOST, domain_id=DOMAIN))
    v.append(make(
        "bss_pay_order",
        "the payment as flexus sends it: exact body, X-Domain-Id signed",
        "POST", "/v3/orders/customer-orders/pay",
        headers=[("Content-Type", "application/json")],
        body=PAY_BODY, host=BSS_HOST, domain_id=DOMAIN))
    v.append(make(
        "bss_order_list",
        "the order list with a time window, X-Domain-Id signed",
        "GET", "/v2/orders/customer-orders",
        query=[("create_time_begin", "2026-11-26T10:00:00Z"), ("limit", "50"),
               ("order_by", "-createTime")],
        host=BSS_HOST, domain_id=DOMAIN))
    v.append(make(
        "iam_project_lookup",
        "the project of the order's region, signed without a scope header",
        "GET", "/v3/projects", query=[("name", "tr-west-1")], host=IAM_HOST))
    v.append(make(
        "iam_domain_lookup",
        "the account's domain ID, signed without a scope header",
        "GET", "/v3/auth/domains", host=IAM_HOST))
    return v


def main():
    root = Path(__file__).resolve().parents[2]
    out = root / "tests" / "fixtures" / "signer_vectors.json"
    doc = {
        "sdk": "huaweicloudsdkcore",
        "sdk_version": version("huaweicloudsdkcore"),
        "python": sys.version.split()[0],
        "algorithm": "SDK-HMAC-SHA256",
        "generated_by": "tools/signer-vectors/make_vectors.py",
        "notes": "query and headers are ordered lists of [name, value] pairs, "
                 "unencoded, as handed to Signer.sign (headers include those "
                 "BasicCredentials adds). 'now' is the SDK's clock, used only "
                 "when the request carries no X-Sdk-Date.",
        "vectors": vectors(),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n",
                   encoding="utf-8")
    print(f"wrote {len(doc['vectors'])} vectors to {out}")


if __name__ == "__main__":
    main()
