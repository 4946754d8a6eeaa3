-- wrk script: one face per request, a new seed each time (each wrk thread counts on its own)
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/api/v1/faces/" .. counter)
end
