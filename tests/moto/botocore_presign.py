"""Presigns a URL with botocore, the independent oracle for Stratus's presigned URLs.

    python botocore_presign.py URL ACCESS_KEY SECRET REGION SERVICE [SESSION_TOKEN]

URL is a URL Stratus presigned. botocore presigns the same request (the URL without its
X-Amz-* parameters, with the method PRESIGN_METHOD names, GET by default) at the same
X-Amz-Date for the same expiry, and this prints botocore's URL. For S3 it presigns as
botocore's S3 client does (`S3SigV4QueryAuth`: `UNSIGNED-PAYLOAD`, the path as it is).
"""
import os
import datetime
import sys
import urllib.parse

import botocore.auth
import botocore.awsrequest
import botocore.credentials

url, key, secret, region, service = sys.argv[1:6]
token = sys.argv[6] if len(sys.argv) > 6 else None
parts = urllib.parse.urlsplit(url)
query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
amz = dict(query)
fixed = datetime.datetime.strptime(amz["X-Amz-Date"], "%Y%m%dT%H%M%SZ")


class Frozen(datetime.datetime):
    """botocore reads the clock through datetime.datetime; freeze it at Stratus's time."""

    @classmethod
    def utcnow(cls):
        return fixed

    @classmethod
    def now(cls, tz=None):
        return fixed.replace(tzinfo=tz) if tz else fixed


botocore.auth.datetime.datetime = Frozen
params = [(k, v) for k, v in query if not k.startswith("X-Amz-")]
request = botocore.awsrequest.AWSRequest(
    method=os.environ.get("PRESIGN_METHOD", "GET"),
    url=f"{parts.scheme}://{parts.netloc}{parts.path}?{urllib.parse.urlencode(params)}",
)
query_auth = botocore.auth.S3SigV4QueryAuth if service == "s3" else botocore.auth.SigV4QueryAuth
auth = query_auth(
    botocore.credentials.Credentials(key, secret, token), service, region, expires=int(amz["X-Amz-Expires"])
)
auth.add_auth(request)
print(request.url)
