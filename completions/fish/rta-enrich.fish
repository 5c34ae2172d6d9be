# fish completion for rta-enrich.  Option lists follow rta-enrich --help.

function __rta_enrich_inputs --description 'rta-enrich input files'
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

function __rta_enrich_tables --description 'reference tables'
    set -l token (commandline -ct)
    for f in $token*
        if test -d $f
            echo $f/
        else
            switch $f
                case '*.csv' '*.ndjson' '*.jsonl'
                    echo $f
            end
        end
    end
end

complete -c rta-enrich -f
complete -c rta-enrich -k -a '(__rta_enrich_inputs)'

complete -c rta-enrich -s h -l help -d 'Show the help'
complete -c rta-enrich -s V -l version -d 'Show the version and library versions'
complete -c rta-enrich -s o -l to -x -a 'ndjson rta' -d 'Output encoding'
complete -c rta-enrich -s q -l quiet -d 'Do not report bad records'
complete -c rta-enrich -s u -l unbuffered -d 'Flush after every record'
complete -c rta-enrich -l dead-letter -r -F -d 'Append rejected records to FILE'
complete -c rta-enrich -l max-errors -x -d 'Stop after N bad records'
complete -c rta-enrich -l max-line -x -d 'Longest input line or table row (e.g. 1M)'
complete -c rta-enrich -l metrics -r -F -d 'Keep Prometheus counters in FILE'
complete -c rta-enrich -l strict -d 'Stop at the first bad record'
complete -c rta-enrich -l privacy -r -F -d 'Privacy rules applied after the joins'
complete -c rta-enrich -l keys -r -F -d 'Keys for pseudonymising rules'
complete -c rta-enrich -l reload-interval -x -a '250ms 1s 10s' -d 'How often to check the table files'

# per table: --ref starts one, the options after it are its own
complete -c rta-enrich -l ref -x -a '(__rta_enrich_tables)' -d 'A reference table (CSV or NDJSON)'
complete -c rta-enrich -l on -x -a 'event_id timestamp event_type tenant_id payload.' -d 'Event field holding the key'
complete -c rta-enrich -l ref-key -x -d 'Key column of the table'
complete -c rta-enrich -l ref-format -x -a 'csv ndjson' -d 'Format of the table'
complete -c rta-enrich -l fields -x -d 'Columns to copy (a,b,c)'
complete -c rta-enrich -l into -x -d 'Copy into the payload object NAME'
complete -c rta-enrich -l prefix -x -d 'Copy into the payload as PREFIX + column'
complete -c rta-enrich -l missing -x -a 'keep drop dead-letter default' -d 'Policy for events with no row'
complete -c rta-enrich -l default -x -d 'COLUMN=VALUE for events with no row'
complete -c rta-enrich -l valid-from -x -d 'Column where a row starts to be valid'
complete -c rta-enrich -l valid-to -x -d 'Column where a row stops being valid'
