-- wrk script: POST an answer (a durable write), cycling through the prepared respondents.
-- Requests are built once in init. Any status of 400 or more shows as "Non-2xx or 3xx responses".
dofile("Benchmarks/out/http/targets.lua")
local requests = {}
local i = 0
init = function(args)
  for k, target in ipairs(targets) do
    requests[k] = wrk.format("POST", target.path, { ["Content-Type"] = "application/x-www-form-urlencoded" }, target.body)
  end
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
