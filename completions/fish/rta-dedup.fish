# fish completion for rta-dedup.  Option lists follow rta-dedup --help.

function __rta_dedup_inputs --description 'rta-dedup input files'
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

function __rta_dedup_is_offsets --description 'true after the offsets subcommand'
    set -l words (commandline -opc)
    test (count $words) -ge 2; and test $words[2] = offsets
end

set -l main 'not __rta_dedup_is_offsets'
set -l offsets '__rta_dedup_is_offsets'
complete -c rta-dedup -f
complete -c rta-dedup -n '__fish_is_first_arg' -a offsets -d 'Print where to resume each Kafka partition'
complete -c rta-dedup -n $main -k -a '(__rta_dedup_inputs)'
# every form
complete -c rta-dedup -s h -l help -d 'Show the help'
complete -c rta-dedup -s V -l version -d 'Show the version and library versions'
complete -c rta-dedup -l state -r -a '(__fish_complete_directories)' -d 'Checkpoint and journal directory'
# offsets
complete -c rta-dedup -n $offsets -l format -x -a 'kcat json' -d 'Output style'
# the filter
complete -c rta-dedup -n $main -s k -l key -x -d 'Fields that make the key'
complete -c rta-dedup -n $main -l ttl -x -d 'Forget keys older than the watermark minus DUR'
complete -c rta-dedup -n $main -l max-delay -x -d 'Watermark lag behind the largest event time'
complete -c rta-dedup -n $main -l beyond-horizon -x -a 'pass drop dead-letter' -d 'Events older than the horizon'
complete -c rta-dedup -n $main -l max-mem -x -a '64M 256M 1G' -d 'Resident set limit; beyond it keys go to a mapped file'
complete -c rta-dedup -n $main -l approx -x -a '0.001 0.0001' -d 'Lossy mode with this false-positive rate'
complete -c rta-dedup -n $main -l expect -x -d 'Keys the --approx filter is sized for'
complete -c rta-dedup -n $main -l duplicates -r -F -d 'Append duplicates to FILE (NDJSON)'
complete -c rta-dedup -n $main -l checkpoint-every -x -a '10s 1m 100000r' -d 'Checkpoint interval or record count'
complete -c rta-dedup -n $main -l resume -d 'Skip records the state says were handled'
complete -c rta-dedup -n $main -l dead-letter -r -F -d 'Append rejected records to FILE'
complete -c rta-dedup -n $main -l max-errors -x -d 'Stop after N bad records'
complete -c rta-dedup -n $main -l max-line -x -d 'Longest NDJSON line'
complete -c rta-dedup -n $main -l metrics -r -F -d 'Keep Prometheus counters in FILE'
complete -c rta-dedup -n $main -s o -l to -x -a 'ndjson rta' -d 'Output encoding'
complete -c rta-dedup -n $main -s q -l quiet -d 'Do not report bad records'
complete -c rta-dedup -n $main -l strict -d 'Stop at the first bad record'
complete -c rta-dedup -n $main -s u -l unbuffered -d 'Flush after every record'
