# fish completion for rta-cat.  Option lists follow rta-cat --help.

function __rta_cat_inputs --description 'rta-cat input files'
    set -l token (commandline -ct)
    for f in $token*
        if test -d $f
            echo $f/
        else
            switch $f
                case '*.ndjson' '*.jsonl' '*.json' '*.rta' '*.csv' '*.parquet' '*.gz' '*.zst' '*.xz' '*.bz2' '*.tar' '*.zip'
                    echo $f
            end
        end
    end
end

function __rta_cat_is_emit --description 'true when the rta-cat command line is rta-cat emit'
    set -l words (commandline -opc)
    test (count $words) -ge 2; and test "$words[2]" = emit
end

set -l main 'not __rta_cat_is_emit'
set -l emit '__rta_cat_is_emit'

complete -c rta-cat -f

# operands: the emit subcommand first, else input files
complete -c rta-cat -n '__fish_is_first_arg' -a emit -d 'Write one event'
complete -c rta-cat -n $main -k -a '(__rta_cat_inputs)'

complete -c rta-cat -n $main -s f -l follow -d 'Keep reading files as they grow'
complete -c rta-cat -n $main -s h -l help -d 'Show the help'
complete -c rta-cat -n $main -s n -l head -x -d 'Stop after N events'
complete -c rta-cat -n $main -s o -l to -x -a 'ndjson rta' -d 'Output encoding'
complete -c rta-cat -n $main -s q -l quiet -d 'Do not report bad records'
complete -c rta-cat -n $main -s u -l unbuffered -d 'Flush after every record'
complete -c rta-cat -n $main -s V -l version -d 'Show the version and library versions'
complete -c rta-cat -n $main -l compress -d 'Compress the output with zstd (--compress=LEVEL, 1-19)'
complete -c rta-cat -n $main -l dead-letter -r -F -d 'Append rejected records to FILE'
complete -c rta-cat -n $main -l delimiter -x -a '\, \; tab \|' -d 'CSV field separator'
complete -c rta-cat -n $main -l epoch-unit -x -a 's ms us auto' -d 'Unit of numeric timestamps'
complete -c rta-cat -n $main -l events-only -d 'Leave out watermark and position records'
complete -c rta-cat -n $main -l from -x -a 'auto ndjson rta parquet csv kcat-json' -d 'Input format'
complete -c rta-cat -n $main -l id-col -x -d 'CSV column of event ids'
complete -c rta-cat -n $main -l kafka-key -x -a 'tenant_id event_type event_id' -d 'Write KEY<TAB>JSON lines for kcat -P -K'
complete -c rta-cat -n $main -l max-errors -x -d 'Stop after N bad records'
complete -c rta-cat -n $main -l max-line -x -d 'Longest NDJSON or CSV line (e.g. 1M)'
complete -c rta-cat -n $main -l metrics -r -F -d 'Keep Prometheus counters in FILE'
complete -c rta-cat -n $main -l no-infer -d 'Keep every CSV field a string'
complete -c rta-cat -n $main -l strict -d 'Stop at the first bad record'
complete -c rta-cat -n $main -l tenant -x -d 'Tenant of every CSV row'
complete -c rta-cat -n $main -l tenant-col -x -d 'CSV tenant column'
complete -c rta-cat -n $main -l time-col -x -d 'CSV timestamp column'
complete -c rta-cat -n $main -l type -x -d 'Event type of every CSV row'
complete -c rta-cat -n $main -l type-col -x -d 'CSV event type column'
complete -c rta-cat -n $main -l version-col -x -d 'CSV schema version column'

# rta-cat emit TYPE TENANT [key=value | key:=json ...]
complete -c rta-cat -n $emit -s h -l help -d 'Show the help'
complete -c rta-cat -n $emit -s o -l to -x -a 'ndjson rta' -d 'Output encoding'
complete -c rta-cat -n $emit -s V -l version -d 'Show the version'
complete -c rta-cat -n $emit -l id -x -d 'event_id to use'
complete -c rta-cat -n $emit -l schema-version -x -d 'schema_version (default 1)'
complete -c rta-cat -n $emit -l time -x -a now -d 'Event time: RFC 3339, epoch, now, -5m'
