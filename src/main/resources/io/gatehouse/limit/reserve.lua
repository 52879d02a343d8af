-- Checks and charges the counters of several calls, each call in one atomic step (the whole script runs without
-- interruption), in the order given: the calls one event loop received in the same turn share a round trip.
-- ARGV[1]: the number of calls. Then per call: "1" to enforce limits or "0" to count only (shadow mode), the number of
-- its counters n, and per counter: amount, limit, expiry (Unix ms: the window's end + margin). KEYS: every call's
-- counters, in the same order.
-- Returns, per call, each counter's value before it. When enforcing and any of a call's counters would pass its limit,
-- none of that call's counters is charged: its charges are taken back before the next call is looked at, so no other
-- call ever sees them. Charging first and taking back on refusal costs one command per counter for an admitted call
-- (the common case) instead of a read and a write. A counter's key names its window, so its expiry (the window's end,
-- absolute: spending never pushes it further out) is the same whenever it is set; it is set when the counter starts
-- from zero.
local results = {}
local key = 0
local arg = 2
for call = 1, tonumber(ARGV[1]) do
  local enforce = ARGV[arg] == '1'
  local counters = tonumber(ARGV[arg + 1])
  arg = arg + 2
  local before = {}
  local exceeded = false
  for i = 1, counters do
    local amount = tonumber(ARGV[arg])
    local after = redis.call('INCRBY', KEYS[key + i], amount)
    before[i] = after - amount
    if before[i] == 0 then
      redis.call('PEXPIREAT', KEYS[key + i], ARGV[arg + 2])
    end
    if amount > 0 and after > tonumber(ARGV[arg + 1]) then
      exceeded = true
    end
    arg = arg + 3
  end
  if exceeded and enforce then
    for i = 1, counters do
      redis.call('DECRBY', KEYS[key + i], ARGV[arg - 3 * (counters - i + 1)])
    end
  end
  key = key + counters
  results[call] = before
end
return results
