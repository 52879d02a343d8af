-- wrk script: POST a ~1 KB non-streaming chat completion ("stream":false).
-- Run from the repo root or bench/: wrk ... -s bench/post-plain.lua URL
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local body = dofile(dir .. "body.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
-- BENCH_CLIENT_KEY: a gateway key, for runs where the gateway authenticates clients (bench/auth.sh).
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_CLIENT_KEY") or "bench-client-key")
wrk.body = body.body(false, tonumber(os.getenv("BODY_BYTES") or "1000"))
