"""Calls the emulator with the official Tencent Cloud Python SDK and prints one JSON line per call.

Usage: official_sdk_calls.py '<json config>' where the config holds endpoint (host:port), secret_id,
secret_key, method (POST or GET) and ids {instance, proxies, proxy_to_modify, vpn_gateway,
vpn_connection}. Outcomes are judged by the Rust test that runs this script.
"""
import json
import sys

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.cvm.v20170312 import cvm_client
from tencentcloud.cvm.v20170312 import models as cvm_models
from tencentcloud.gaap.v20180529 import gaap_client
from tencentcloud.gaap.v20180529 import models as gaap_models
from tencentcloud.vpc.v20170312 import models as vpc_models
from tencentcloud.vpc.v20170312 import vpc_client

config = json.loads(sys.argv[1])
ids = config["ids"]


def profile(unsigned_payload=False):
    http = HttpProfile(protocol="http", endpoint=config["endpoint"], reqMethod=config["method"], reqTimeout=10)
    client_profile = ClientProfile(httpProfile=http, language="en-US")
    client_profile.unsignedPayload = unsigned_payload
    return client_profile


def cred(key=None):
    return credential.Credential(config["secret_id"], key or config["secret_key"])


def report(name, call):
    try:
        response = call()
        print(json.dumps({"call": name, "ok": True, "request_id": response.RequestId,
                          "body": json.loads(response.to_json_string())}), flush=True)
    except TencentCloudSDKException as e:
        print(json.dumps({"call": name, "ok": False, "code": e.get_code(), "message": e.get_message()}), flush=True)


def terminate(key=None):
    client = cvm_client.CvmClient(cred(key), "ap-guangzhou", profile())
    request = cvm_models.TerminateInstancesRequest()
    request.InstanceIds = [ids["instance"]]
    request.ReleasePrepaidDataDisks = False
    return client.TerminateInstances(request)


def destroy():
    client = gaap_client.GaapClient(cred(), "", profile())
    request = gaap_models.DestroyProxiesRequest()
    request.Force = 1
    request.ProxyIds = ids["proxies"]
    request.ClientToken = "python-" + config["method"]
    return client.DestroyProxies(request)


def modify(unsigned_payload=False):
    client = gaap_client.GaapClient(cred(), "", profile(unsigned_payload))
    request = gaap_models.ModifyProxyConfigurationRequest()
    request.ProxyId = ids["proxy_to_modify"]
    request.Bandwidth = 20
    request.Concurrent = 4
    return client.ModifyProxyConfiguration(request)


def delete_vpn():
    client = vpc_client.VpcClient(cred(), "ap-guangzhou", profile())
    request = vpc_models.DeleteVpnConnectionRequest()
    request.VpnGatewayId = ids["vpn_gateway"]
    request.VpnConnectionId = ids["vpn_connection"]
    return client.DeleteVpnConnection(request)


report("TerminateInstances", terminate)
report("DestroyProxies", destroy)
report("DestroyProxies (same ClientToken)", destroy)
report("ModifyProxyConfiguration", modify)
report("ModifyProxyConfiguration (unsigned payload)", lambda: modify(unsigned_payload=True))
report("DeleteVpnConnection", delete_vpn)
report("TerminateInstances (wrong key)", lambda: terminate("wrong-secret-key"))
