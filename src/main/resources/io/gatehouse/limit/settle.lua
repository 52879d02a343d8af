-- Settles a call's reservations: adds ARGV[i] (negative to give back) to KEYS[i]. A counter that has expired is not
-- brought back: its window is over, and a key without expiry would never go away.
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('INCRBY', KEYS[i], ARGV[i])
  end
end
return #KEYS
