-- wrk script: one face per request under the URL's path (.../faces/), a new seed each time (each wrk thread counts on its own)
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. counter)
end
