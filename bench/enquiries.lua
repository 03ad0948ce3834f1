-- wrk script for bench/enquiries.sh: each request sends the "ask to get involved" form with a
-- form key of its own (shown ten seconds ago, so past the minimum fill time), as a person would.
local token = ""
local counter = 0
local thread_tag = ""

init = function(args)
  token = args[1]
  math.randomseed(os.time() + math.random(100000))
  thread_tag = string.format("%08x", math.random(0, 0x7fffffff))
end

request = function()
  counter = counter + 1
  local shown = (os.time() - 10) * 1000
  local key = string.format("%d.%s%012d", shown, thread_tag, counter)
  local body = "csrf_token=" .. token .. "&form_key=" .. key ..
    "&name=Bench+Person+" .. counter .. "&email=bench" .. thread_tag .. counter .. "%40example.org" ..
    "&channels=email&needs=step_free&interests=Training+staff&consent=yes"
  return wrk.format("POST", "/get-involved/ask", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "coproduce_form=" .. token,
  }, body)
end
