#!/usr/bin/env bash
# Starts the built service with no DATABASE_URL (embedded PGlite, fresh data
# dir), logs in as the seeded demo user, restarts, and checks the data stayed.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR="$(mktemp -d)"
PORT="${SMOKE_PORT:-3917}"
LOG="$DATA_DIR/service.log"
export DATA_DIR PORT BATCH_CRON_ENABLED=false
unset DATABASE_URL

start() {
  node dist/src/main.js >>"$LOG" 2>&1 &
  PID=$!
  for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && return 0
    kill -0 "$PID" 2>/dev/null || { cat "$LOG"; echo "service died"; exit 1; }
    sleep 0.5
  done
  cat "$LOG"; echo "service did not become ready"; exit 1
}
stop() { kill -TERM "$PID"; wait "$PID" || true; }
login() {
  curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"email":"demo@sigmasight.local","password":"demo-password"}' | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).access_token))'
}
count_portfolios() {
  curl -sf "http://127.0.0.1:$PORT/api/v1/portfolio" -H "Authorization: Bearer $1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(String(JSON.parse(s).length)))'
}

start
# the web console is served at / by the same process (static build from npm run build)
curl -sf "http://127.0.0.1:$PORT/" -H 'accept: text/html' | grep -q '<div id="app">' || { echo "embedded smoke: no console at /"; exit 1; }
TOKEN=$(login)
N1=$(count_portfolios "$TOKEN")
curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/portfolio" -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"name":"kept across restart"}' >/dev/null
stop
start
TOKEN=$(login)
N2=$(count_portfolios "$TOKEN")
stop
echo "embedded smoke: demo portfolios before restart=$N1, after adding one and restarting=$N2"
[ "$N1" = "3" ] && [ "$N2" = "4" ] || { cat "$LOG"; echo "embedded smoke FAILED"; exit 1; }
rm -rf "$DATA_DIR"
echo "embedded smoke: OK"
