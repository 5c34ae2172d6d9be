# fish completion for rta-window.  Option lists follow rta-window --help.

function __rta_window_inputs --description 'rta-window input files'
    set -l token (commandline -ct)
    for f in $token*
        if test -d $f
            echo $f/
        else
            switch $f
                case '*.ndjson' '*.jsonl' '*.json' '*.rta' '*.gz' '*.zst' '*.xz' '*.bz2' '*.tar' '*.zip'
                    echo $f
            end
        end
    end
end

function __rta_window_is_offsets --description 'true after the offsets subcommand'
    set -l words (commandline -opc)
    test (count $words) -ge 2; and test $words[2] = offsets
end

complete -c rta-window -f
complete -c rta-window -n 'not __rta_window_is_offsets' -k -a '(__rta_window_inputs)'
complete -c rta-window -n '__fish_is_first_arg' -a offsets -d 'Print where to resume each Kafka partition'
complete -c rta-window -l state -r -a '(__fish_complete_directories)' -d 'Checkpoint directory'
complete -c rta-window -n '__rta_window_is_offsets' -l format -x -a 'kcat json' -d 'Output style'
complete -c rta-window -n 'not __rta_window_is_offsets' -l checkpoint-every -x -a '10s 1m 100000r' -d 'Checkpoint interval or record count'
complete -c rta-window -n 'not __rta_window_is_offsets' -l resume -d 'Skip records the state says were handled'
complete -c rta-window -s h -l help -d 'Show the help'
complete -c rta-window -s V -l version -d 'Show the version and library versions'
complete -c rta-window -l tumbling -x -a '10s 1m 5m 1h' -d 'Windows of DUR, one after another'
complete -c rta-window -l sliding -x -a '5m 15m 1h' -d 'Windows of DUR starting every --every'
complete -c rta-window -l every -x -a '1m 5m' -d 'The step of --sliding'
complete -c rta-window -l session -x -a '5m 30m' -d 'Sessions: events less than GAP apart'
complete -c rta-window -l funnel -x -a 'page_view,add_to_cart,purchase' -d 'Count users going through these event types in order'
complete -c rta-window -l user -x -a 'payload.user_id payload.' -d 'The field naming the user, for --funnel'
complete -c rta-window -l within -x -a '10m 1h 1d' -d 'Longest time from first to last funnel step'
complete -c rta-window -l by -x -a 'tenant_id event_type tenant_id,event_type payload.' -d 'Group fields'
complete -c rta-window -l agg -x -a 'count sum: avg: min: max: stddev: first: last: distinct: p95: top5:' -d 'Aggregates'
complete -c rta-window -l max-delay -x -a '1s 10s 1m' -d 'How far events may come out of order'
complete -c rta-window -l allowed-lateness -x -a '1m 10m 1h' -d 'Keep closed windows open to late events'
complete -c rta-window -l late -r -F -d 'Append events past the allowed lateness to FILE'
complete -c rta-window -l max-future -x -a '1m 1h' -d 'Reject events this far ahead of the watermark'
complete -c rta-window -l emit-every -x -a '1s 5s' -d 'Early results as the watermark passes multiples of DUR'
complete -c rta-window -l max-groups -x -d 'Most windows held at once'
complete -c rta-window -l at-cap -x -a 'reject spill' -d 'At --max-groups, reject events or spill windows to --state'
complete -c rta-window -l idle -x -a '5s 10s 1m' -d 'After DUR of quiet input, move the watermark by the wall clock'
complete -c rta-window -l detect -x -a 'zscore:3 ewma:3' -d 'Alert on windows far from their history'
complete -c rta-window -l history -x -d 'Windows of history for --detect'
complete -c rta-window -l drift -x -a 'payload.value num:payload.value cat:payload.country' -d 'Score each window\'s distribution of a field against a baseline'
complete -c rta-window -l baseline -x -a '1d 7d 28d' -d 'The windows a drift baseline holds'
complete -c rta-window -l baseline-from -r -F -d 'Compare with a stored baseline in FILE'
complete -c rta-window -l drift-alert -x -a '0.25 0.25,1 0.1' -d 'Alert at this PSI, or quantile distance'
complete -c rta-window -l min-history -x -d 'Windows needed before alerting'
complete -c rta-window -l alerts -r -F -d 'Append alerts to FILE'
complete -c rta-window -l dead-letter -r -F -d 'Append rejected records to FILE'
complete -c rta-window -l max-errors -x -d 'Stop after N bad records'
complete -c rta-window -l max-line -x -d 'Longest NDJSON line'
complete -c rta-window -l metrics -r -F -d 'Keep Prometheus counters in FILE'
complete -c rta-window -s o -l to -x -a 'ndjson rta' -d 'Output encoding'
complete -c rta-window -s q -l quiet -d 'Do not report bad records'
complete -c rta-window -l strict -d 'Stop at the first bad record'
complete -c rta-window -s u -l unbuffered -d 'Flush after every record'
