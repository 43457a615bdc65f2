search-title = Search
search-help = A phone number in any writing (081-234-5678, +66 81 234 5678, ๐๘๑…), an account, wallet, e-mail or site is looked up exactly; anything else searches report narratives in Thai, Japanese, Hindi and English.
search-read-as = Read as
search-warninglisted = On the warninglist
search-seen-by = In reports you may read, from
search-held-by = Also held by
search-open-entity = Open the identifier's page
search-reports = Reports
search-no-results = No report you may read matches.
search-next = Next results
search-results-count = { $count ->
    [one] One result
   *[other] { $count } results
}
