# fish completion for rta-store.  Option lists follow rta-store --help.

function __rta_store_inputs --description 'rta-store input files'
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

function __rta_store_sub --description 'the rta-store subcommand, if any'
    set -l words (commandline -opc)
    if test (count $words) -ge 2
        switch $words[2]
            case init ingest cat offsets compact retain export fsck stats archive restore rollup cohort
                echo $words[2]
                return 0
        end
    end
    return 1
end

function __rta_store_is --description 'true when the subcommand is one of the arguments'
    set -l sub (__rta_store_sub)
    or return 1
    contains -- $sub $argv
end

function __rta_store_datasets --description 'the datasets of the store given by -s'
    set -l words (commandline -opc)
    set -l store
    for i in (seq (count $words))
        switch $words[$i]
            case -s --store
                set -l j (math $i + 1)
                if test $j -le (count $words)
                    set store $words[$j]
                end
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

set -l any '__rta_store_is init ingest cat offsets compact retain export fsck stats rollup cohort'
set -l ds '__rta_store_is ingest cat offsets compact retain export fsck stats'
set -l ingest '__rta_store_is ingest'
set -l cat '__rta_store_is cat'

complete -c rta-store -f

# the subcommand first
complete -c rta-store -n '__fish_is_first_arg' -a init -d 'Make a store'
complete -c rta-store -n '__fish_is_first_arg' -a ingest -d 'Append records to a dataset'
complete -c rta-store -n '__fish_is_first_arg' -a cat -d 'Write the records of a dataset'
complete -c rta-store -n '__fish_is_first_arg' -a offsets -d 'Print where to resume each Kafka partition'
complete -c rta-store -n '__fish_is_first_arg' -a compact -d 'Merge closed buckets into sorted, compressed segments'
complete -c rta-store -n '__fish_is_first_arg' -a retain -d 'Remove buckets older than --days'
complete -c rta-store -n '__fish_is_first_arg' -a export -d 'Write finished days to Parquet files in a cold store'
complete -c rta-store -n '__fish_is_first_arg' -a fsck -d 'Check the datasets, and repair them'
complete -c rta-store -n '__fish_is_first_arg' -a stats -d 'One JSON object per dataset'
complete -c rta-store -n '__fish_is_first_arg' -a archive -d 'Bundle old cold-store partitions into a tar file'
complete -c rta-store -n '__fish_is_first_arg' -a restore -d 'Check an archive and put its partitions back'
complete -c rta-store -n '__fish_is_first_arg' -a rollup -d 'Keep a coarser aggregate dataset up to date'
complete -c rta-store -n '__fish_is_first_arg' -a cohort -d 'Keep users\' cohorts and activity up to date'

# every form
complete -c rta-store -s h -l help -d 'Show the help'
complete -c rta-store -s V -l version -d 'Show the version and library versions'
complete -c rta-store -n $any -s s -l store -x -a '(__fish_complete_directories)' -d 'The store directory'
complete -c rta-store -n $ds -s d -l dataset -x -a '(__rta_store_datasets)' -d 'The dataset'
complete -c rta-store -n $any -l metrics -r -F -d 'Keep Prometheus counters in FILE'

# ingest
complete -c rta-store -n $ingest -k -a '(__rta_store_inputs)'
complete -c rta-store -n $ingest -l ack-fd -x -a '3 4 5' -d 'After each commit, a line on descriptor N'
complete -c rta-store -n $ingest -l bucket -x -a '1h 2h 3h 4h 6h 8h 12h 1d' -d 'Time bucket of a new dataset'
complete -c rta-store -n $ingest -l close-after -x -a '10m 1h 6h' -d 'Close a bucket\'s log DUR past its end'
complete -c rta-store -n $ingest -l dead-letter -r -F -d 'Append rejected records to FILE'
complete -c rta-store -n $ingest -l dedup-horizon -x -a '1d 7d 14d' -d 'Keep event ids for DUR before the newest'
complete -c rta-store -n $ingest -l beyond-horizon -x -a 'reject store' -d 'Raw events older than the horizon'
complete -c rta-store -n $ingest -l max-errors -x -d 'Stop after N bad records'
complete -c rta-store -n $ingest -l max-future -x -a '0 1h 1d' -d 'Reject records stamped more than DUR after the clock'
complete -c rta-store -n $ingest -l max-line -x -d 'Longest NDJSON line'
complete -c rta-store -n $ingest -l max-mem -x -a '64M 256M 1G' -d 'Memory for the event ids'
complete -c rta-store -n $ingest -l max-new-buckets -x -d 'Most new buckets in one run (0: no limit)'
complete -c rta-store -n $ingest -s q -l quiet -d 'Do not report bad records'
complete -c rta-store -n $ingest -l strict -d 'Stop at the first bad record'
complete -c rta-store -n $ingest -l sync-every -x -a '100ms 1s 10000r' -d 'Group commit interval, or records'

# cat
complete -c rta-store -n $cat -s o -x -a 'ndjson rta' -d 'Output encoding'
complete -c rta-store -n $cat -l tenant -x -d 'Only this tenant\'s records'
complete -c rta-store -n $cat -l from -x -a 'now -1h -24h -7d' -d 'From this event time on'
complete -c rta-store -n $cat -l to -x -a 'now -1h -24h -7d' -d 'Before this event time'

# offsets
complete -c rta-store -n '__rta_store_is offsets' -l format -x -a 'kcat json' -d 'Output style'

# compact, retain
complete -c rta-store -n '__rta_store_is compact' -l level -x -a '1 3 9 19' -d 'zstd level'
complete -c rta-store -n '__rta_store_is retain' -l days -x -a '7 14 30 90' -d 'Days to keep'
complete -c rta-store -n '__rta_store_is retain export cat' -l cold -x -a '(__fish_complete_directories)' -d 'The cold store'

# export
complete -c rta-store -n '__rta_store_is export' -l before -x -a '1d 7d 30d' -d 'Export the days before DATE'
complete -c rta-store -n '__rta_store_is export' -l force -d 'Export unchanged days again'
complete -c rta-store -n '__rta_store_is export' -l level -x -a '1 3 9 19' -d 'zstd level'
complete -c rta-store -n '__rta_store_is export' -l row-group-rows -x -d 'Rows per row group'
complete -c rta-store -n '__rta_store_is export' -l schema -r -F -d 'A payload JSON Schema'

# fsck
complete -c rta-store -n '__rta_store_is fsck' -l repair -d 'Cut what an interrupted run left, quarantine damage'

# archive, restore (the cold store)
set -l cold '__rta_store_is archive restore'
set -l archive '__rta_store_is archive'
complete -c rta-store -n $cold -l cold -x -a '(__fish_complete_directories)' -d 'The cold store directory'
complete -c rta-store -n $cold -l metrics -r -F -d 'Keep Prometheus counters in FILE'
complete -c rta-store -n $archive -s d -l dataset -x -d 'Only this dataset'
complete -c rta-store -n $archive -s o -r -F -d 'The archive to make (.tar.zst, .tar.gz, .tar.xz, .tar)'
complete -c rta-store -n $archive -l before -x -a '30d 90d 365d' -d 'Partitions of days before DATE'
complete -c rta-store -n $archive -l remove -d 'Remove the partitions once archived and read back'
complete -c rta-store -n '__rta_store_is restore' -k -a '(__fish_complete_suffix .tar.zst .tar.gz .tar.xz .tar)'

# rollup
set -l rollup '__rta_store_is rollup'
complete -c rta-store -n $rollup -l all -d 'Refresh every rollup defined'
complete -c rta-store -n $rollup -l define -d 'Keep the rollup in the store'
complete -c rta-store -n $rollup -l bucket -x -a '5m 15m 1h 1d 7d' -d 'The rollup\'s buckets'
complete -c rta-store -n $rollup -l from-dataset -x -a '(__rta_store_datasets)' -d 'The source dataset'
complete -c rta-store -n $rollup -l to-dataset -x -a '(__rta_store_datasets)' -d 'The rollup dataset'
complete -c rta-store -n $rollup -l threads -x -d 'Merge a bucket\'s tenants on N threads'

# cohort
set -l cohort '__rta_store_is cohort'
complete -c rta-store -n $cohort -l all -d 'Refresh every cohort dataset defined'
complete -c rta-store -n $cohort -l define -d 'Keep the cohort dataset in the store'
complete -c rta-store -n $cohort -l bucket -x -a '1d 1w 4w' -d 'The cohorts\' width'
complete -c rta-store -n $cohort -l from-dataset -x -a '(__rta_store_datasets)' -d 'The raw events'
complete -c rta-store -n $cohort -l to-dataset -x -a '(__rta_store_datasets)' -d 'The cohort dataset'
complete -c rta-store -n $cohort -l user -x -a 'payload.user_id' -d 'The field naming the user'
complete -c rta-store -n $cohort -l activity -x -a 'page_view purchase' -d 'Event types that make a user active'
complete -c rta-store -n $cohort -l max-users -x -d 'Refuse a refresh past N users'
