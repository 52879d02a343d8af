-- Shared request body for the wrk scripts (loaded by post-plain.lua and post-stream.lua).
-- Builds an OpenAI chat-completion request of exactly TARGET_BYTES bytes: a padded system message
-- plus a 16-word user message. The mock echoes the last user message one word per SSE chunk, so a
-- streamed answer is 21 events: role chunk, 17 word chunks ("Echo:" + 16 words), finish chunk,
-- usage chunk (stream_options.include_usage) and "data: [DONE]".
local M = {}

M.USER_TEXT = "Please summarise the quarterly report in three short bullet points for the busy executive team today."

function M.body(stream, target_bytes)
  target_bytes = target_bytes or 1000
  local head = '{"model":"gpt-4o-mini","stream":' .. tostring(stream)
  if stream then
    head = head .. ',"stream_options":{"include_usage":true}'
  end
  head = head .. ',"temperature":0,"max_tokens":128,"messages":[{"role":"system","content":"'
  local tail = '"},{"role":"user","content":"' .. M.USER_TEXT .. '"}]}'
  local pad = target_bytes - #head - #tail
  if pad < 0 then pad = 0 end
  local filler = "You are a concise assistant. Answer accurately and briefly. "
  local system = string.rep(filler, math.ceil(pad / #filler)):sub(1, pad)
  return head .. system .. tail
end

return M
