-- Checks and charges every counter of one call in one atomic step (the whole script runs without interruption).
-- KEYS: the counters. ARGV[1]: "1" to enforce limits, "0" to count only (shadow mode).
-- Then per counter i: ARGV[3i-1] amount, ARGV[3i] limit, ARGV[3i+1] expiry (Unix ms: the window's end + margin).
-- Returns each counter's value before this call. When enforcing and any counter would pass its limit, nothing is
-- charged. The expiry is set once, when a window's counter is created, and is absolute: spending never pushes a
-- window's end further out.
local enforce = ARGV[1] == '1'
local before = {}
local exists = {}
local exceeded = false
for i = 1, #KEYS do
  local stored = redis.call('GET', KEYS[i])
  local value = tonumber(stored or '0')
  local amount = tonumber(ARGV[3 * i - 1])
  before[i] = value
  exists[i] = stored ~= false
  if amount > 0 and value + amount > tonumber(ARGV[3 * i]) then
    exceeded = true
  end
end
if exceeded and enforce then
  return before
end
for i = 1, #KEYS do
  redis.call('INCRBY', KEYS[i], ARGV[3 * i - 1])
  if not exists[i] then
    redis.call('PEXPIREAT', KEYS[i], ARGV[3 * i + 1])
  end
end
return before
