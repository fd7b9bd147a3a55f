"""Calls the emulator through the official Python SDK's CommonClient (any service, any action, JSON
parameters) and prints one JSON line per call.

Usage: common_client_calls.py '<json config>' where the config holds endpoint (host:port),
secret_id, secret_key, optionally protocol ("https") and certification (the certificate file
to trust), and calls: a list of {name, service, version, action, params}. A string
parameter `$<name>.<path>` is the value at that path (member names, list indexes) of the answer
to the earlier call <name>, for calls acting on what an earlier one created. Outcomes are judged
by the Rust test that runs this script.
"""
import json
import sys

from tencentcloud.common import credential
from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

config = json.loads(sys.argv[1])
http = HttpProfile(
    protocol=config.get("protocol", "http"),
    endpoint=config["endpoint"],
    reqTimeout=10,
    certification=config.get("certification"),
)
profile = ClientProfile(httpProfile=http, language="en-US")
cred = credential.Credential(config["secret_id"], config["secret_key"])

answers = {}


def resolve(value):
    if isinstance(value, str) and value.startswith("$"):
        name, *path = value[1:].split(".")
        found = answers.get(name)
        for step in path:
            if found is None:
                break
            found = found[int(step)] if isinstance(found, list) and step.isdigit() else found.get(step)
        return found
    if isinstance(value, list):
        return [resolve(item) for item in value]
    if isinstance(value, dict):
        return {key: resolve(item) for key, item in value.items()}
    return value


for call in config["calls"]:
    client = CommonClient(call["service"], call["version"], cred, "ap-guangzhou", profile=profile)
    try:
        response = client.call_json(call["action"], resolve(call["params"]))
        body = response["Response"]
        answers[call["name"]] = body
        print(json.dumps({"call": call["name"], "ok": True, "request_id": body.get("RequestId"), "body": body}), flush=True)
    except TencentCloudSDKException as e:
        print(json.dumps({"call": call["name"], "ok": False, "code": e.get_code(), "message": e.get_message()}), flush=True)
