"""A real S3-compatible server for tests: moto's server on a free port, one bucket per test.

Registered for the whole suite in tests/conftest.py. ``s3`` points the default storage
at a fresh bucket (our ``gongchuang.common.s3.S3Storage``, as settings.py does when
``AWS_STORAGE_BUCKET_NAME`` is set) and turns direct uploads on.

moto answers the S3 API over real HTTP (presigned POSTs, ranged GETs, copies) but
does not enforce a POST policy (size range, key, expiry) and allows every origin
(CORS); tests check our policy's conditions instead of relying on moto to refuse.
"""

import itertools
from dataclasses import dataclass

import boto3
import pytest

ACCESS_KEY, SECRET_KEY, REGION = "testing", "testing", "us-east-1"
_bucket_numbers = itertools.count(1)

# The rule docs/deploy.md tells operators to set (origins narrowed to the site there).
CORS_RULES = {
    "CORSRules": [
        {
            "AllowedOrigins": ["*"],
            "AllowedMethods": ["POST"],
            "AllowedHeaders": ["*"],
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": 3600,
        }
    ]
}


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass
class S3:
    endpoint: str
    bucket: str
    client: object

    def keys(self, prefix: str = "") -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def body(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()


@pytest.fixture
def s3(s3_server, settings):
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )
    bucket = f"gc-test-{next(_bucket_numbers)}"
    client.create_bucket(Bucket=bucket)
    client.put_bucket_cors(Bucket=bucket, CORSConfiguration=CORS_RULES)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "gongchuang.common.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_server,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "region_name": REGION,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    settings.S3_DIRECT_UPLOADS = True
    yield S3(endpoint=s3_server, bucket=bucket, client=client)
    for key in S3(s3_server, bucket, client).keys():
        client.delete_object(Bucket=bucket, Key=key)
    client.delete_bucket(Bucket=bucket)
