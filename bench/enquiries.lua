-- wrk script for bench/enquiries.sh: each request sends the "ask to get involved" form with a
-- form key of its own, signed by the server's secret and shown ten seconds ago (past the minimum
-- fill time), as a person would. bench/enquiries.sh signs the keys beforehand, a file a thread.
local token = ""
local counter = 0
local keys = {}
local threads = 0

setup = function(thread)
  threads = threads + 1
  thread:set("keys_file", os.getenv("BENCH_KEYS") .. threads)
end

init = function(args)
  token = args[1]
  for line in io.lines(keys_file) do keys[#keys + 1] = line end
end

request = function()
  counter = counter + 1
  local key = keys[counter] or error("out of signed keys: make more in bench/enquiries.sh")
  local body = "csrf_token=" .. token .. "&form_key=" .. key ..
    "&name=Bench+Person+" .. counter .. "&email=bench" .. string.sub(key, -16) .. "%40example.org" ..
    "&channels=email&needs=step_free&interests=Training+staff&consent=yes"
  return wrk.format("POST", "/get-involved/ask", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "coproduce_form=" .. token,
  }, body)
end
