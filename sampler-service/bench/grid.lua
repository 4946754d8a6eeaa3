-- wrk script: a 64-face grid per request, a new seed each time
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "grid?n=64&seed=" .. counter)
end
