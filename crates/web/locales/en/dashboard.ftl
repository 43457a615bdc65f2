dashboard-title = War room
dashboard-live-hits = Hits, live
dashboard-index-building = The hit index is being built; hits appear when it is ready.
dashboard-no-hits = No hits yet. New ones appear here as they happen.
dashboard-recent-reports = Newest reports you may read
dashboard-no-reports = No reports you may read yet.
dashboard-map = Compounds, border crossings and places in reports
dashboard-charts = Counts over time
dashboard-counted = { $count ->
    [one] One report counted over the last 16 weeks, only reports you may read.
   *[other] { $count } reports counted over the last 16 weeks, only reports you may read.
}
dashboard-truncated = (Only the newest 50,000 reports were looked at.)
chart-by-method = Reports by scam method, per week
chart-by-country = Reports by victim's country, per week
chart-by-agency = Reports by agency, per week
chart-empty = Nothing to count yet.
map-title = Map of places named in reports
map-compound = Compound
map-border-crossing = Border crossing
map-place = Other place
map-empty = No place with coordinates in the reports you may read.
live-connecting = connecting…
live-connected = live
live-reconnecting = reconnecting…
live-lagged = some hits were missed: reload the page
report-identifiers-count = { $count ->
    [one] 1 identifier
   *[other] { $count } identifiers
}
feed-identifiers = identifiers
