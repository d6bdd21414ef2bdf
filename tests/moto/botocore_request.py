"""Serializes requests with botocore, the independent oracle for Stratus's requests.

    python botocore_request.py < cases.json

Reads a JSON list of cases, each {"service", "operation", "params", "region",
"endpoint_url"}, and prints a JSON list of the requests botocore would send for them, each
{"method", "url", "headers", "body"} (the body as latin-1 text), without sending anything:
a `before-send` hook captures each request and answers it with an empty 200. Values follow
botocore's conventions (timestamps as ISO 8601 strings, blobs as text).
"""
import json
import sys

import botocore.awsrequest
import botocore.session
from botocore.config import Config

cases = json.load(sys.stdin)
session = botocore.session.get_session()
captured = []
results = []


def capture(request, **kwargs):
    body = request.body
    if hasattr(body, "read"):
        body = body.read()
    if isinstance(body, str):
        body = body.encode("utf-8")
    captured.append(
        {
            "method": request.method,
            "url": request.url,
            "headers": {k: v.decode("latin-1") if isinstance(v, bytes) else v for k, v in request.headers.items()},
            "body": (body or b"").decode("latin-1"),
        }
    )
    return botocore.awsrequest.AWSResponse(request.url, 200, {}, None)


for case in cases:
    client = session.create_client(
        case["service"],
        region_name=case.get("region", "us-east-1"),
        endpoint_url=case.get("endpoint_url"),
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        config=Config(retries={"max_attempts": 1}),
    )
    client.meta.events.register("before-send", capture)
    captured.clear()
    try:
        getattr(client, case["operation"])(**case["params"])
    except Exception:
        # The empty 200 may not parse as the output; the request was captured before.
        pass
    if not captured:
        raise SystemExit(f"botocore sent nothing for {case['operation']}")
    results.append(captured[0])

json.dump(results, sys.stdout)
