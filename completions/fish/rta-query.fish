# fish completion for rta-query.  Option lists follow rta-query --help.

function __rta_query_datasets --description 'datasets of the store given by -s/--store'
    set -l words (commandline -opc)
    set -l store
    for i in (seq (count $words))
        switch $words[$i]
            case -s --store
                set store $words[(math $i + 1)]
            case '--store=*'
                set store (string replace -- '--store=' '' $words[$i])
        end
    end
    test -n "$store"; and test -d "$store"; or return
    for d in $store/*/
        set -l name (basename $d)
        string match -qr '^[a-z0-9]' -- $name; and echo $name
    end
end

complete -c rta-query -f
complete -c rta-query -k -a '(__fish_complete_suffix .ndjson .rta .zst .gz)'
complete -c rta-query -s h -l help -d 'Show the help'
complete -c rta-query -s V -l version -d 'Show the version and library versions'
complete -c rta-query -s o -l output -x -a 'ndjson table csv rta' -d 'Output format'
complete -c rta-query -s s -l store -r -a '(__fish_complete_directories)' -d 'The store'
complete -c rta-query -s d -l dataset -x -a '(__rta_query_datasets)' -d 'The dataset'
complete -c rta-query -l from -x -a 'now -1h -24h -7d' -d 'Start of the range'
complete -c rta-query -l to -x -a 'now -1h' -d 'End of the range (default now)'
complete -c rta-query -l since -x -a '15m 1h 24h 7d' -d 'The last duration up to now'
complete -c rta-query -l tenant -x -d 'One tenant'"'"'s records'
complete -c rta-query -l where -x -d 'Only records for which the expression is true'
complete -c rta-query -l group-by -x -a 'tenant_id event_type tenant_id,event_type payload.' -d 'Group fields'
complete -c rta-query -l bucket -x -a '1m 5m 15m 1h 1d' -d 'Cut the range into buckets of this width'
complete -c rta-query -l agg -x -a 'count sum: avg: min: max: stddev: first: last: distinct: p95: top5:' -d 'Aggregates'
complete -c rta-query -l order-by -x -a 'start count' -d 'Sort keys, each then asc or desc'
complete -c rta-query -l limit -x -d 'Print the first N rows'
complete -c rta-query -l max-groups -x -d 'Refuse a query past N groups'
complete -c rta-query -l partial -d 'Print groups as aggregate records with their states'
complete -c rta-query -l merge -d 'Merge partial results from files or stdin'
complete -c rta-query -l cohort -x -a 'first:payload.user_id' -d 'A retention matrix of users by their first event'
complete -c rta-query -l cohort-bucket -x -a '1d 1w 4w' -d 'The width of cohorts and periods'
complete -c rta-query -l activity -x -a 'page_view purchase' -d 'Event types that make a user active'
complete -c rta-query -l periods -x -d 'Periods after the cohort\'s own (default 8)'
complete -c rta-query -l cold -r -a '(__fish_complete_directories)' -d 'The cold store, for what the hot store no longer holds'
complete -c rta-query -l explain -d 'Print what the query reads instead of its rows'
complete -c rta-query -l http -d 'Answer HTTP/1.1 requests on stdin and stdout'
complete -c rta-query -l metrics-file -r -F -d 'A stage'"'"'s --metrics file, merged into /metrics'
complete -c rta-query -l tokens -r -F -d 'Bearer tokens (SHA-256) and their tenants'
complete -c rta-query -l rate -x -a '10 100 1000' -d 'Requests a second a tenant'
complete -c rta-query -l rate-state -r -F -d 'The rate limits'"'"' shared state file'
