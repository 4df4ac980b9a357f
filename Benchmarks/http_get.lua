-- wrk script: GET a question page, cycling through the prepared respondents. Requests are built
-- once in init, so wrk spends its CPU on the sockets rather than in Lua.
dofile("Benchmarks/out/http/targets.lua")
local requests = {}
local i = 0
init = function(args)
  for k, target in ipairs(targets) do requests[k] = wrk.format("GET", target.path) end
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
