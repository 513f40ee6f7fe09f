"""The notifications S3 sends Lambda, built as S3 builds them (event structure 2.1)."""
import datetime
import time
import urllib.parse


def form_url_encode(key):
    """How S3 notifications carry keys: UTF-8 percent-encoded, spaces as `+`, slashes kept."""
    return urllib.parse.quote_plus(key, safe="/")


class Sequencer:
    """S3's per-key event ordering token: hex that grows with each event."""

    def __init__(self):
        self.last = 0

    def next(self):
        self.last = max(self.last + 1, time.time_ns())
        return f"{self.last:016X}"


def s3_event(bucket, key, size, region, sequencer, etag="", put_response=None, configuration="classroom-video-uploaded"):
    """The notification S3 sends Lambda for one PutObject of `key` (`put_response`: boto3's, for its request ids)."""
    return {"Records": [s3_record(bucket, key, size, region, sequencer, etag, put_response, configuration)]}


def s3_record(bucket, key, size, region, sequencer, etag="", put_response=None, configuration="classroom-video-uploaded",
              event_name="ObjectCreated:Put", event_time=None, version_id=None, encoded_key=None):
    """One record of that notification. `sequencer` is a Sequencer or its token; `event_time` defaults to now;
    `version_id` is left out when None (a bucket without versioning); `encoded_key` is the key as the
    notification carries it, given as is (for keys no upload would produce)."""
    metadata = (put_response or {}).get("ResponseMetadata", {})
    now = datetime.datetime.now(datetime.timezone.utc)
    version = {} if version_id is None else {"versionId": version_id}
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": region,
        "eventTime": event_time or now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
        "eventName": event_name,
        "userIdentity": {"principalId": "AWS:AIDACLASSROOMOPERATOR"},
        "requestParameters": {"sourceIPAddress": "127.0.0.1"},
        "responseElements": {"x-amz-request-id": metadata.get("RequestId", ""),
                             "x-amz-id-2": metadata.get("HostId", "")},
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": configuration,
            "bucket": {"name": bucket, "ownerIdentity": {"principalId": "A3CLASSROOMOWNER"},
                       "arn": f"arn:aws:s3:::{bucket}"},
            "object": {"key": form_url_encode(key) if encoded_key is None else encoded_key, "size": size,
                       "eTag": etag.strip('"'), **version,
                       "sequencer": sequencer if isinstance(sequencer, str) else sequencer.next()},
        },
    }


def upload_and_event(s3, bucket, key, body, region, sequencer):
    """Uploads `body` as the operator and returns the event S3 would send for it."""
    put = s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="video/mp4")
    return s3_event(bucket, key, len(body), region, sequencer, etag=put["ETag"], put_response=put)
