# fish completion for rta-validate.  Option lists follow rta-validate --help.

function __rta_validate_inputs --description 'rta-validate input files'
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

function __rta_validate_schemas --description 'schema directories and files'
    set -l token (commandline -ct)
    for f in $token*
        if test -d $f
            echo $f/
        else if string match -q '*.json' -- $f
            echo $f
        end
    end
end

function __rta_validate_sub --description 'the rta-validate subcommand, if any'
    set -l words (commandline -opc)
    if test (count $words) -ge 2
        switch $words[2]
            case check compat drift
                echo $words[2]
                return 0
        end
    end
    return 1
end

function __rta_validate_is --description 'true when the subcommand is one of the arguments'
    set -l sub (__rta_validate_sub)
    or set sub main
    contains -- $sub $argv
end

set -l main '__rta_validate_is main'
set -l check '__rta_validate_is check'
set -l compat '__rta_validate_is compat'
set -l drift '__rta_validate_is drift'
set -l all '__rta_validate_is main check compat drift'
set -l stream '__rta_validate_is main drift'
set -l schemas '__rta_validate_is check compat'

complete -c rta-validate -f

# operands: a subcommand first, else input files (schemas for check, compat)
complete -c rta-validate -n '__fish_is_first_arg' -a check -d 'Lint schema directories or files'
complete -c rta-validate -n '__fish_is_first_arg' -a compat -d 'List breaking changes between versions'
complete -c rta-validate -n '__fish_is_first_arg' -a drift -d 'Report how data differs from its schemas'
complete -c rta-validate -n $stream -k -a '(__rta_validate_inputs)'
complete -c rta-validate -n $schemas -k -a '(__rta_validate_schemas)'

# every form
complete -c rta-validate -n $all -s h -l help -d 'Show the help'
complete -c rta-validate -n $all -s V -l version -d 'Show the version and library versions'
complete -c rta-validate -n $all -l format -x -a 'text json github' -d 'How problems are reported'

# validating and drift
complete -c rta-validate -n $stream -s o -l to -x -a 'ndjson rta' -d 'Output encoding'
complete -c rta-validate -n $stream -s q -l quiet -d 'Do not report bad records'
complete -c rta-validate -n $stream -s s -l schemas -x -a '(__fish_complete_directories)' -d 'Schema directory'
complete -c rta-validate -n $stream -s u -l unbuffered -d 'Flush after every record'
complete -c rta-validate -n $stream -l max-line -x -d 'Longest NDJSON line (e.g. 1M)'
complete -c rta-validate -n $stream -l schema -r -F -d 'One schema for every payload'

# validating only
complete -c rta-validate -n $main -l dead-letter -r -F -d 'Append rejected records to FILE'
complete -c rta-validate -n $main -l max-errors -x -d 'Stop after N bad records'
complete -c rta-validate -n $main -l max-future -x -d 'Reject events stamped more than DURATION ahead'
complete -c rta-validate -n $main -l max-past -x -d 'Reject events stamped more than DURATION back'
complete -c rta-validate -n $main -l metrics -r -F -d 'Keep Prometheus counters in FILE'
complete -c rta-validate -n $main -l raw -d 'Check plain JSON documents against --schema'
complete -c rta-validate -n $main -l strict -d 'Stop at the first bad record'
complete -c rta-validate -n $main -l unknown -x -a 'reject pass' -d 'Events of a type or version with no schema'
complete -c rta-validate -n $main -l upgrade -d 'Bring older events up to the latest version'

# check, compat: --formats; the validating form takes it too
complete -c rta-validate -n '__rta_validate_is main check compat' -l formats -d 'Make format an assertion'

# rta-validate compat OLD NEW | DIR
complete -c rta-validate -n $compat -l mode -x -a 'backward forward full' -d 'Which way versions must be compatible'

# rta-validate drift
complete -c rta-validate -n $drift -l report -r -F -d 'Write the report to FILE, pass events on'
