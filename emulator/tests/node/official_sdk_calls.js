// Calls the emulator with the official Tencent Cloud Node.js SDK (tencentcloud-sdk-nodejs-cvm) and
// prints one JSON line per call; the Rust test that runs this script judges the outcomes.
// Usage: node official_sdk_calls.js '<json config: endpoint (host:port), secret_id, secret_key>'
const { cvm } = require("tencentcloud-sdk-nodejs-cvm");

const config = JSON.parse(process.argv[2]);

async function terminate(name, method, secretKey, instanceId) {
  const client = new cvm.v20170312.Client({
    credential: { secretId: config.secret_id, secretKey },
    region: "ap-guangzhou",
    profile: { httpProfile: { endpoint: config.endpoint, protocol: "http://", reqMethod: method, reqTimeout: 10 } },
  });
  try {
    const response = await client.TerminateInstances({ InstanceIds: [instanceId] });
    console.log(JSON.stringify({ call: name, ok: true, request_id: response.RequestId }));
  } catch (e) {
    console.log(JSON.stringify({ call: name, ok: false, code: e.code || "", message: e.message }));
  }
}

(async () => {
  await terminate("POST", "POST", config.secret_key, "ins-3jaw1j8m");
  await terminate("GET", "GET", config.secret_key, "ins-00000001");
  await terminate("wrong key", "POST", "wrong-secret-key", "ins-00000002");
})();
