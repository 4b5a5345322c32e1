// Container health check: GET http://127.0.0.1:<port>/health of the app in this container.
// Exit 0 on a 2xx answer; exit 1 on 503 (a dependency is down: the body, which names the failing
// check, is printed and shows in `docker inspect`), on any other status, on a refused connection or
// after the timeout. Used by the Dockerfile's HEALTHCHECK and by docker-compose.yml.
// Port: MODEL_SERVICE_PORT, else the app's default (MODEL_SERVICE_APP is set in the image).
'use strict';

const DEFAULT_PORTS = {
  'api-gateway': 4700,
  'signal-generator': 4701,
  trainer: 4702,
  'exit-strategy': 4703,
  'exchange-simulator': 4704,
};

const port = Number(process.env.MODEL_SERVICE_PORT || DEFAULT_PORTS[process.env.MODEL_SERVICE_APP]);
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS || 4000);

if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`healthcheck: no valid port (MODEL_SERVICE_PORT=${process.env.MODEL_SERVICE_PORT}, ` +
    `MODEL_SERVICE_APP=${process.env.MODEL_SERVICE_APP})`);
  process.exit(1);
}

fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(timeoutMs) })
  .then(async (res) => {
    if (res.ok) process.exit(0);
    const body = await res.text().catch(() => '');
    console.error(`healthcheck: /health answered ${res.status} ${body.slice(0, 1000)}`);
    process.exit(1);
  })
  .catch((err) => {
    const reason = err && err.cause && err.cause.code ? err.cause.code : String(err && err.message);
    console.error(`healthcheck: GET http://127.0.0.1:${port}/health failed: ${reason}`);
    process.exit(1);
  });
