-- wrk script: POST an answer (a durable write), cycling through the prepared respondents.
-- Requests are built once in init. Any status of 400 or more shows as "Non-2xx or 3xx responses".
-- Each wrk thread takes its own share of the respondents, as real respondents each have one
-- browser: two threads walking the same list would post for the same respondent at once, and
-- the later save, made from a page that is no longer current, would be refused and write nothing.
-- The shares are for two threads, as http.sh runs wrk (-t2).
dofile("Benchmarks/out/http/targets.lua")
local threads = 0
setup = function(thread)
  thread:set("share", threads % 2)
  threads = threads + 1
end
local requests = {}
local i = 0
init = function(args)
  for k, target in ipairs(targets) do
    if (k - 1) % 2 == share then
      requests[#requests + 1] = wrk.format("POST", target.path, { ["Content-Type"] = "application/x-www-form-urlencoded" }, target.body)
    end
  end
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
