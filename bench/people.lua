-- wrk script for bench/people.sh: `-- queue`, `-- search`, `-- person`, `-- group`, `-- groupfeed`,
-- `-- concerns`, `-- feedback` or `-- feed` picks the page.
-- Searches look for one person as staff do: by first name and surname (about 200 people share
-- each pair across the trust), by phone number, or by email address.
local first = {"Amara", "Ben", "Carys", "Dylan", "Efua", "Finn", "Grace", "Hamza", "Isla", "Jonah", "Kiran",
  "Leah", "Marek", "Nia", "Oskar", "Poppy", "Rhys", "Sana", "Theo", "Wren", "Yusuf", "Zara", "Aled", "Bea"}
local last = {"Ashdown", "Bellamy", "Corrigan", "Delacroix", "Ellwood", "Fairbairn", "Gallant", "Hollis",
  "Iredale", "Juniper", "Kestle", "Lowther", "Marchbank", "Northcote", "Penhaligon", "Quarrie", "Rowntree",
  "Stanier", "Tregear", "Umfreville"}
local mode = "queue"
local people = 100000

init = function(args)
  mode = args[1] or "queue"
  people = tonumber(args[2] or "100000")
  math.randomseed(os.time() + math.random(1000))
end

-- Someone staff0 works with (service 0: every tenth person).
local function someone()
  return 10 * math.random(1, people / 10)
end

request = function()
  local path = "/keep-in-touch"
  if mode == "search" then
    local p = someone()
    local kind = math.random(3)
    local q
    if kind == 1 then
      q = string.lower(first[(p % 24) + 1] .. "+" .. last[(math.floor(p / 24) % 20) + 1])
    elseif kind == 2 then
      q = string.format("07%09d", 700000000 + p)
    else
      q = string.lower(first[(p % 24) + 1]) .. "." .. string.lower(last[(math.floor(p / 24) % 20) + 1]) .. p
    end
    path = "/people?q=" .. q
  elseif mode == "person" then
    path = "/people/" .. someone()
  elseif mode == "group" then
    -- One of service 0's twenty groups, each with a hundred weekly meetings.
    path = "/groups/" .. (1 + 10 * math.random(0, 19))
  elseif mode == "groupfeed" then
    path = "/calendar/groups/" .. (1 + 10 * math.random(0, 19)) .. ".ics"
  elseif mode == "concerns" then
    -- The concerns log, its first page: the open ones waiting longest.
    path = "/concerns"
  elseif mode == "feedback" then
    -- The feedback of the group that has met weekly for five years.
    path = "/groups/201/feedback"
  elseif mode == "feed" then
    -- A member of one of those groups, by their secret calendar link.
    path = "/calendar/feed/benchfeed" .. (10 * math.random(1, 399)) .. ".ics"
  end
  return wrk.format("GET", path)
end
