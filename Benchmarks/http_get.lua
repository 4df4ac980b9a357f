-- wrk script: GET a question page, cycling through the prepared respondents.
dofile("Benchmarks/out/http/targets.lua")
local i = 0
request = function()
  i = i % #targets + 1
  return wrk.format("GET", targets[i].path)
end
