-- wrk script: POST an answer (a durable write), cycling through the prepared respondents.
dofile("Benchmarks/out/http/targets.lua")
local i = 0
request = function()
  i = i % #targets + 1
  return wrk.format("POST", targets[i].path, { ["Content-Type"] = "application/x-www-form-urlencoded" }, targets[i].body)
end
response = function(status, headers, body)
  if status ~= 303 then io.stderr:write("unexpected status " .. status .. "\n") end
end
