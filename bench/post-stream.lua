-- wrk script: POST a ~1 KB streaming chat completion ("stream":true, include_usage), 21 SSE events.
-- wrk counts a request when the whole chunked response (up to "data: [DONE]" and the last chunk) is read.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local body = dofile(dir .. "body.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
-- BENCH_CLIENT_KEY: a gateway key, for runs where the gateway authenticates clients (bench/auth.sh).
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_CLIENT_KEY") or "bench-client-key")
wrk.body = body.body(true, tonumber(os.getenv("BODY_BYTES") or "1000"))
